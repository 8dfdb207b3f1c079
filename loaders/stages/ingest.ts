import {mkdirSync} from "node:fs";
import {dirname, join} from "node:path";
import {stagedPath} from "../extract/staging.js";
import {createEngine, engineOptions, type Engine} from "../engine/engine.js";
import {InputFileError, InputFilesError, PipelineError} from "../errors.js";
import type {RawFile} from "../extract/discover.js";
import {extractFile, type ExtractResult} from "../extract/extract.js";
import {formatCount} from "../run/format.js";
import {writeRows} from "../run/table-io.js";
import type {Stage, StageContext} from "../run/stage.js";

/**
 * Ingest: extract and load. Each distinct file content is parsed once: a later run re-reads only new or
 * changed files and carries the rows of the others over from the previous `raw_lines` and `quarantine`
 * snapshots. The same content under a second path is recorded as a duplicate and not loaded again; a
 * path whose content changed has its earlier rows replaced.
 */

/** What ingest knows about one distinct file content. */
export interface IngestedFile {
  /** The path its rows are attributed to (the first path, in path order, with this content). */
  path: string;
  /** The run that parsed it. */
  runId: string;
  /** Records after the header (blank lines excluded). */
  records: number;
  rows: number;
  quarantined: number;
  blankLines: number;
  compressed: boolean;
  textBytes: number;
  variant: string;
  columns: string[];
  ignoredColumns: string[];
}

export interface IngestState {
  /** Version of the ingest code that parsed the files; another version parses everything again. */
  code: string;
  /** By content hash (SHA-256). */
  files: Record<string, IngestedFile>;
  /** Bad files skipped under `badFiles: "skip"`, by content hash; they are read again by the next run that ingests. */
  rejected?: Record<string, RejectedFile>;
}

/** A file content rejected under `badFiles: "skip"`: none of its records are in any snapshot. */
export interface RejectedFile {
  path: string;
  reason: string;
  /** Records read before it was rejected (0 when it could not be read at all). */
  records: number;
}

/** How many files are extracted at once (decompression runs on libuv's thread pool). */
const EXTRACT_CONCURRENCY = 4;

export const ingestStage: Stage = {
  name: "ingest",
  description: "Find input files; extract and parse new or changed ones into raw lines and quarantine",
  inputs: [],
  outputs: ["raw_lines", "quarantine", "input_files"],
  module: "loaders/stages/ingest.ts",
  options: (options) => ({maxQuarantineShare: options.maxQuarantineShare, badFiles: options.badFiles, ...engineOptions(options)}),
  fingerprintExtra: ({files}) => files.map((file) => [file.path, file.sha256]),
  run: ingest
};

async function ingest(context: StageContext) {
  const {options, files} = context;
  if (files.length === 0) {
    throw new PipelineError(`no input files found under ${options.rawDir} (looking for *.csv and *.csv.gz files); add data or pass --raw DIR`);
  }
  const code = context.codeVersion;
  const canonical = new Map<string, RawFile>();
  for (const file of files) if (!canonical.has(file.sha256)) canonical.set(file.sha256, file);

  const engine = await createEngine(options);
  const skip = options.badFiles === "skip";
  const carried = await carriedOver(context, engine, code, canonical);
  const toLoad = [...canonical.values()].filter((file) => !carried.has(file.sha256));
  context.progress({detail: `${formatCount(files.length)} files, ${formatCount(toLoad.length)} to read`});
  const stagingDir = join(context.runDir, "staged");
  const rejected = new Map<string, RejectedFile>();
  const extracted = await extractAll(toLoad, stagingDir, context.progress, skip ? rejected : null);
  if (rejected.size === canonical.size) throw new InputFilesError(rejectedErrors(rejected));

  const previousPaths = Object.values((context.previousState as IngestState | null)?.files ?? {}).map((file) => file.path);
  let state = await loadAll(context, engine, code, {extracted, stagingDir, carried, canonical, previousPaths});
  const over = overShare(state, options.maxQuarantineShare);
  if (over.length > 0) {
    const reasons = await quarantineShareReasons(context, engine, over, options.maxQuarantineShare);
    if (!skip) throw new InputFilesError(over.map((file) => new InputFileError(file.path, reasons.get(file.path)!)));
    // Rare: loaded again without them, so that none of their records is in any snapshot.
    for (const file of over) {
      const sha = Object.keys(state.files).find((key) => state.files[key] === file)!;
      rejected.set(sha, {path: file.path, reason: reasons.get(file.path)!, records: file.records});
      carried.delete(sha);
      for (const raw of extracted.keys()) if (raw.sha256 === sha) extracted.delete(raw);
    }
    if (rejected.size === canonical.size) throw new InputFilesError(rejectedErrors(rejected));
    state = await loadAll(context, engine, code, {extracted, stagingDir, carried, canonical, previousPaths});
  }
  if (rejected.size > 0) state.rejected = Object.fromEntries([...rejected].sort(([, a], [, b]) => compare(a.path, b.path)));
  await buildInputFiles(context, canonical, state);

  const totals = Object.values(state.files).reduce(
    (sum, file) => ({records: sum.records + file.records, rows: sum.rows + file.rows, quarantined: sum.quarantined + file.quarantined}),
    {records: 0, rows: 0, quarantined: 0}
  );
  return {
    rowsIn: totals.records,
    rowsOut: totals.rows,
    detail:
      `${formatCount(files.length)} files (${formatCount(toLoad.length)} read), ${formatCount(totals.quarantined)} quarantined` +
      (rejected.size > 0 ? `, ${formatCount(rejected.size)} rejected (skipped)` : ""),
    state
  };
}

interface LoadPlan {
  extracted: Map<RawFile, ExtractResult>;
  stagingDir: string;
  carried: Map<string, IngestedFile>;
  canonical: Map<string, RawFile>;
  previousPaths: string[];
}

/** Loads the extracted files (and the carried-over rows) and records what became of every record of each. */
async function loadAll(
  context: StageContext,
  engine: Engine,
  code: string,
  {extracted, stagingDir, carried, canonical, previousPaths}: LoadPlan
): Promise<IngestState> {
  const state: IngestState = {code, files: {}};
  for (const [sha, file] of carried) state.files[sha] = {...file, path: canonical.get(sha)!.path};
  const counts = await engine.load(context, {extracted, stagingDir, carried, previousPaths});
  for (const [file, result] of extracted) {
    const {rows = 0, quarantined = 0} = counts.get(file.path) ?? {};
    if (rows + quarantined !== result.records) {
      // Every record must land in exactly one place; anything else is a bug, never a silent loss.
      throw new Error(`${file.path}: ${result.records} records were read but ${rows} parsed + ${quarantined} quarantined; please report this with the file`);
    }
    state.files[file.sha256] = {
      path: file.path,
      runId: context.runId,
      records: result.records,
      rows,
      quarantined,
      blankLines: result.blankLines,
      compressed: result.compressed,
      textBytes: result.textBytes,
      variant: result.header.variant,
      columns: result.header.columns,
      ignoredColumns: result.header.ignored
    };
  }
  return state;
}

/** Files whose rows can be carried over: parsed by this same ingest code, still present, and held by the engine. */
async function carriedOver(context: StageContext, engine: Engine, code: string, canonical: Map<string, RawFile>): Promise<Map<string, IngestedFile>> {
  const previous = context.previousState as IngestState | null | undefined;
  if (!previous || previous.code !== code || context.options.force) return new Map();
  const candidates = new Map(Object.entries(previous.files).filter(([sha]) => canonical.has(sha)));
  const held = await engine.held(context, candidates);
  return new Map([...candidates].filter(([sha]) => held.has(sha)));
}

/** Extracts the files; an unreadable one fails the run, or with `rejected` (badFiles: skip) is recorded there and left out. */
async function extractAll(toLoad: RawFile[], stagingDir: string, progress: StageContext["progress"], rejected: Map<string, RejectedFile> | null) {
  const extracted = new Map<RawFile, ExtractResult>();
  const errors: InputFileError[] = [];
  const queue = [...toLoad];
  let finished = 0;
  await Promise.all(
    Array.from({length: Math.min(EXTRACT_CONCURRENCY, queue.length)}, async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const staged = stagedPath(stagingDir, file.path);
        mkdirSync(dirname(staged), {recursive: true});
        try {
          extracted.set(file, await extractFile(file, staged));
        } catch (error) {
          if (error instanceof InputFileError) errors.push(error);
          else throw error;
        }
        if (++finished % 50 === 0) progress({detail: `extracted ${formatCount(finished)} of ${formatCount(toLoad.length)} files`});
      }
    })
  );
  errors.sort((a, b) => compare(a.file, b.file));
  if (errors.length > 0 && !rejected) throw new InputFilesError(errors);
  for (const error of errors) rejected!.set(toLoad.find((file) => file.path === error.file)!.sha256, {path: error.file, reason: error.reason, records: 0});
  // Map iteration order is completion order: sort by path so every later step is deterministic.
  return new Map([...extracted].sort(([a], [b]) => compare(a.path, b.path)));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Files whose quarantined share is above the threshold: bad files (fail the run, or are rejected under skip). */
function overShare(state: IngestState, maxShare: number): IngestedFile[] {
  return Object.values(state.files)
    .filter((file) => file.records > 0 && file.quarantined / file.records > maxShare)
    .sort((a, b) => compare(a.path, b.path));
}

async function quarantineShareReasons(context: StageContext, engine: Engine, failing: IngestedFile[], maxShare: number): Promise<Map<string, string>> {
  const examples = await engine.quarantineExamples(
    context,
    failing.map((file) => file.path),
    3
  );
  return new Map(
    failing.map((file) => {
      const first = examples.get(file.path) ?? [];
      return [
        file.path,
        `${formatCount(file.quarantined)} of ${formatCount(file.records)} records (${percent(file.quarantined / file.records)}) could not be parsed, ` +
          `more than the allowed ${percent(maxShare)}` +
          (first.length ? ` (first problems: ${first.join("; ")})` : "") +
          `; fix the file, or raise maxQuarantineShare (--max-quarantine-share)`
      ];
    })
  );
}

const rejectedErrors = (rejected: Map<string, RejectedFile>) =>
  [...rejected.values()].sort((a, b) => compare(a.path, b.path)).map((file) => new InputFileError(file.path, file.reason));

const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

function buildInputFiles(context: StageContext, canonical: Map<string, RawFile>, state: IngestState) {
  const rows = context.files.map((file) => {
    const original = canonical.get(file.sha256)!.path;
    const duplicate = original !== file.path;
    const rejected = state.rejected?.[file.sha256];
    if (rejected) {
      return {
        path: file.path,
        sha256: file.sha256,
        bytes: file.bytes,
        compressed: null,
        variant: null,
        records: duplicate ? 0 : rejected.records,
        rows: 0,
        quarantined: 0,
        blank_lines: 0,
        ignored_columns: null,
        duplicate_of: duplicate ? original : null,
        status: "rejected",
        reason: rejected.reason
      };
    }
    const ingested = state.files[file.sha256];
    return {
      path: file.path,
      sha256: file.sha256,
      bytes: file.bytes,
      compressed: ingested.compressed,
      variant: ingested.variant,
      records: duplicate ? 0 : ingested.records,
      rows: duplicate ? 0 : ingested.rows,
      quarantined: duplicate ? 0 : ingested.quarantined,
      blank_lines: duplicate ? 0 : ingested.blankLines,
      ignored_columns: ingested.ignoredColumns.length > 0 ? ingested.ignoredColumns.join(",") : null,
      duplicate_of: duplicate ? original : null,
      status: duplicate ? "duplicate" : "ingested",
      reason: null
    };
  });
  return writeRows(context.connection, "input_files", INPUT_FILES_COLUMNS, rows);
}

const INPUT_FILES_COLUMNS = [
  ["path", "VARCHAR"],
  ["sha256", "VARCHAR"],
  ["bytes", "BIGINT"],
  ["compressed", "BOOLEAN"],
  ["variant", "VARCHAR"],
  ["records", "BIGINT"],
  ["rows", "BIGINT"],
  ["quarantined", "BIGINT"],
  ["blank_lines", "BIGINT"],
  ["ignored_columns", "VARCHAR"],
  ["duplicate_of", "VARCHAR"],
  ["status", "VARCHAR"],
  ["reason", "VARCHAR"]
] as const;
