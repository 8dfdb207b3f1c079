import {existsSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import type {ArtefactRecord} from "./artefacts.js";
import {writeFileAtomic} from "./files.js";

/**
 * The warehouse manifest (`<warehouseDir>/manifest.json`): what was ingested, what each stage last
 * produced and from what, and the recent runs. It is the lineage the site shows, and the memory that
 * makes runs incremental. It is replaced atomically at the end of every run that did something.
 */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  updatedAt: string;
  /** Input files as of the last successful run; also a cache of their hashes by size and mtime. */
  files: ManifestFile[];
  /** What each stage last produced, and the fingerprint it produced it from. */
  stages: Record<string, StageRecord>;
  /** Every table written to the warehouse: published snapshots and internal tables. */
  tables: Record<string, TableRecord>;
  /** Recent runs that did something or failed, newest first. */
  runs: RunRecord[];
}

export const MANIFEST_FORMAT = 1;
export const MAX_RUNS_KEPT = 50;

export interface ManifestFile {
  /** Path relative to the raw folder. */
  path: string;
  sha256: string;
  bytes: number;
  mtimeMs: number;
  /** Set when the same content was already delivered under another path (then it is ingested once). */
  duplicateOf: string | null;
}

export interface StageRecord {
  fingerprint: string;
  codeHash: string;
  runId: string;
  finishedAt: string;
  durationMs: number;
  outputs: string[];
  /** Whatever the stage asked to keep for its next run (ingest: its raw partitions). */
  state: unknown;
  /** The fitted models the stage's outputs come from (model stages). */
  artefacts?: ArtefactRecord[];
}

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface TableRecord {
  name: string;
  /** Path of the Parquet file, relative to the warehouse folder. */
  file: string;
  /** Published snapshots are part of the contract with pages; internal tables are not. */
  published: boolean;
  sha256: string;
  bytes: number;
  rows: number;
  columns: ColumnInfo[];
  /** The stage that wrote it, with that stage's fingerprint and code version. */
  stage: string;
  fingerprint: string;
  codeHash: string;
  gitCommit: string | null;
  /** The run that last changed its content. */
  runId: string;
  /** Tables it was computed from, with their content hashes at the time. */
  inputs: {name: string; sha256: string}[];
  /** Fingerprint of the input file list (paths and hashes) the run saw. */
  sourceFiles: string;
}

export type StageStatus = "ran" | "skipped" | "failed" | "not run";

export interface StageRunRecord {
  name: string;
  status: StageStatus;
  /** Why it ran or was skipped. */
  reason: string;
  durationMs: number;
  /**
   * CPU time of the whole process (every thread: DuckDB's, the model workers') while the stage ran, in ms.
   * Exact when stages run one at a time (`--stages-at-once 1`, as `npm run bench` does for its per-stage
   * figures); stages running side by side each count the others' CPU too.
   */
  cpuMs?: number | null;
  rowsIn: number | null;
  rowsOut: number | null;
  detail: string | null;
}

export interface RunRecord {
  runId: string;
  startedAt: string;
  finishedAt: string;
  status: "succeeded" | "failed";
  durationMs: number;
  error: string | null;
  gitCommit: string | null;
  files: {total: number; added: number; changed: number; removed: number; duplicates: number; ingested: number};
  rows: {read: number; parsed: number; quarantined: number};
  /** Tables whose content changed in this run. */
  changed: string[];
  stages: StageRunRecord[];
}

export function emptyManifest(): Manifest {
  return {format: MANIFEST_FORMAT, updatedAt: new Date(0).toISOString(), files: [], stages: {}, tables: {}, runs: []};
}

export function manifestPath(warehouseDir: string): string {
  return join(warehouseDir, "manifest.json");
}

/** Reads the manifest; a missing one, or one of another format, means an empty warehouse. */
export function readManifest(warehouseDir: string): Manifest {
  const path = manifestPath(warehouseDir);
  if (!existsSync(path)) return emptyManifest();
  let parsed: Manifest;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  } catch {
    return emptyManifest(); // Written atomically, so only a hand edit breaks it: rebuild from scratch.
  }
  return parsed.format === MANIFEST_FORMAT ? parsed : emptyManifest();
}

export function writeManifest(warehouseDir: string, manifest: Manifest): void {
  writeFileAtomic(manifestPath(warehouseDir), JSON.stringify(manifest, null, 1) + "\n");
}

/**
 * Drops the tables no stage writes any more (one a newer version of the pipeline removed), deleting their
 * files and saving the manifest: left listed, the site would go on publishing a table nothing refreshes.
 * `produced`: every table the current stages (and the runner) write. Returns the manifest unchanged when
 * there is nothing to drop.
 */
export function withoutOrphanTables(warehouseDir: string, manifest: Manifest, produced: ReadonlySet<string>): Manifest {
  const orphans = Object.keys(manifest.tables).filter((name) => !produced.has(name));
  if (orphans.length === 0) return manifest;
  const tables = {...manifest.tables};
  for (const name of orphans) {
    rmSync(join(warehouseDir, tables[name]!.file), {force: true});
    delete tables[name];
  }
  const repaired = {...manifest, tables};
  writeManifest(warehouseDir, repaired);
  return repaired;
}
