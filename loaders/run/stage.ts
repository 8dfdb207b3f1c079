import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import type {PipelineOptions} from "../config.js";
import type {RawFile} from "../extract/discover.js";
import type {ArtefactRecord} from "./artefacts.js";
import type {Manifest} from "./manifest.js";

/**
 * A stage of the pipeline graph. It reads tables (outputs of earlier stages), creates its output tables
 * in the run's DuckDB, and the runner writes those to Parquet. It re-runs only when its fingerprint
 * changes: the content of its inputs, its code, or the options it declares.
 */
export interface Stage {
  name: string;
  /** One line for progress displays and the pipeline page. */
  description: string;
  /** Tables the stage reads (each produced by another stage). */
  inputs: readonly string[];
  /** Tables the stage creates; each is written to the warehouse when the stage finishes. */
  outputs: readonly string[];
  /**
   * The file that defines the stage, by path from the project root: the stage's code version is derived from
   * its import closure (loaders/run/code-version.ts).
   */
  module: string;
  /** When a model stage refits: "period" fits on the data through the last complete period. Default: every run. */
  refit?: "period";
  /** The part of the options that changes the stage's output. */
  options?(options: PipelineOptions): unknown;
  /** Further fingerprint material read outside DuckDB (ingest: the input files and their hashes). */
  fingerprintExtra?(context: FingerprintContext): unknown;
  run(context: StageContext): Promise<StageResult>;
}

export interface FingerprintContext {
  options: PipelineOptions;
  files: readonly RawFile[];
}

export interface StageContext extends FingerprintContext {
  runId: string;
  /** The stage's code version (the hash of its import closure). */
  codeVersion: string;
  /** This stage's own connection; stages may run concurrently. */
  connection: DuckDBConnection;
  instance: DuckDBInstance;
  /** The manifest as the run found it. */
  previous: Manifest;
  /** What this stage saved last time it ran (see StageResult.state). */
  previousState: unknown;
  /** Scratch folder of this run, removed when it ends. */
  runDir: string;
  /**
   * Where the runner expects output `name` as Parquet. A stage may write it there itself (e.g. streamed
   * by a COPY, which avoids materialising a large table); otherwise the runner writes the table or view
   * of that name.
   */
  outputPath(name: string): string;
  /** The Parquet file holding input `name` (written earlier in this run, or published by an earlier one). */
  inputPath(name: string): string;
  progress(update: {rows?: number; detail?: string}): void;
  /**
   * Calls a model module's exported function in a worker thread (never on the main thread, so progress and
   * other stages keep moving), within the stage's memory budget; the stage's time budget terminates it.
   */
  runModel<T>(module: string | URL, name: string, ...args: unknown[]): Promise<T>;
  /**
   * The fitted artefact of `model` for `input` (everything the fit depends on: its data and settings):
   * loaded from the warehouse when this stage's code fitted exactly this before, otherwise `fit()` runs
   * and its result is stored (`forceRefit` always fits). The stage then scores today's data with it.
   */
  fitted<T>(model: string, input: unknown, fittedThrough: string, fit: () => Promise<T>): Promise<{artefact: T; reused: boolean; record: ArtefactRecord}>;
}

export interface StageResult {
  rowsIn?: number;
  rowsOut?: number;
  /** One-line summary for the run log. */
  detail?: string;
  /** Saved in the manifest and handed back as `previousState` next time (must be JSON). */
  state?: unknown;
  /** Runs after the outputs are written (e.g. to drop working tables the output views read). */
  cleanup?: () => Promise<void>;
}
