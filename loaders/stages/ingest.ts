import {mkdirSync} from "node:fs";
import {dirname, join} from "node:path";
import {stagedPath} from "../extract/staging.js";
import {createEngine, engineOptions, type Engine} from "../engine/engine.js";
import {InputFileError, InputFilesError, PipelineError} from "../errors.js";
import type {RawFile} from "../extract/discover.js";
import {extractFile, type ExtractResult} from "../extract/extract.js";
import {formatCount} from "../run/format.js";
import {writeRows} from "../run/rows.js";
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
}

/** How many files are extracted at once (decompression runs on libuv's thread pool). */
const EXTRACT_CONCURRENCY = 4;

export const ingestStage: Stage = {
  name: "ingest",
  description: "Find input files; extract and parse new or changed ones into raw lines and quarantine",
  inputs: [],
  outputs: ["raw_lines", "quarantine", "input_files"],
  module: "loaders/stages/ingest.ts",
  options: (options) => ({maxQuarantineShare: options.maxQuarantineShare, ...engineOptions(options)}),
  fingerprintExtra: ({files}) => files.map((file) => [file.path, file.sha256]),
  run: ingest
};

async function ingest(context: StageContext) {
  const {options, files, runId} = context;
  if (files.length === 0) {
    throw new PipelineError(`no input files found under ${options.rawDir} (looking for *.csv and *.csv.gz files); add data or pass --raw DIR`);
  }
  const code = context.codeVersion;
  const canonical = new Map<string, RawFile>();
  for (const file of files) if (!canonical.has(file.sha256)) canonical.set(file.sha256, file);

  const engine = await createEngine(options);
  const carried = await carriedOver(context, engine, code, canonical);
  const toLoad = [...canonical.values()].filter((file) => !carried.has(file.sha256));
  context.progress({detail: `${formatCount(files.length)} files, ${formatCount(toLoad.length)} to read`});
  const stagingDir = join(context.runDir, "staged");
  const extracted = await extractAll(toLoad, stagingDir, context.progress);

  const state: IngestState = {code, files: {}};
  for (const [sha, file] of carried) state.files[sha] = {...file, path: canonical.get(sha)!.path};
  const previousPaths = Object.values((context.previousState as IngestState | null)?.files ?? {}).map((file) => file.path);
  const counts = await engine.load(context, {extracted, stagingDir, carried, previousPaths});
  for (const [file, result] of extracted) {
    const {rows = 0, quarantined = 0} = counts.get(file.path) ?? {};
    if (rows + quarantined !== result.records) {
      // Every record must land in exactly one place; anything else is a bug, never a silent loss.
      throw new Error(
        `${file.path}: ${result.records} records were read but ${rows} parsed + ${quarantined} quarantined; please report this with the file`
      );
    }
    state.files[file.sha256] = {
      path: file.path,
      runId,
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
  await checkQuarantineShares(context, engine, state, options.maxQuarantineShare);
  await buildInputFiles(context, canonical, state);

  const totals = Object.values(state.files).reduce(
    (sum, file) => ({records: sum.records + file.records, rows: sum.rows + file.rows, quarantined: sum.quarantined + file.quarantined}),
    {records: 0, rows: 0, quarantined: 0}
  );
  return {
    rowsIn: totals.records,
    rowsOut: totals.rows,
    detail: `${formatCount(files.length)} files (${formatCount(toLoad.length)} read), ${formatCount(totals.quarantined)} quarantined`,
    state
  };
}

/** Files whose rows can be carried over: parsed by this same ingest code, still present, and held by the engine. */
async function carriedOver(context: StageContext, engine: Engine, code: string, canonical: Map<string, RawFile>): Promise<Map<string, IngestedFile>> {
  const previous = context.previousState as IngestState | null | undefined;
  if (!previous || previous.code !== code || context.options.force) return new Map();
  const candidates = new Map(Object.entries(previous.files).filter(([sha]) => canonical.has(sha)));
  const held = await engine.held(context, candidates);
  return new Map([...candidates].filter(([sha]) => held.has(sha)));
}

async function extractAll(toLoad: RawFile[], stagingDir: string, progress: StageContext["progress"]) {
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
  if (errors.length > 0) throw new InputFilesError(errors.sort((a, b) => a.file.localeCompare(b.file)));
  // Map iteration order is completion order: sort by path so every later step is deterministic.
  return new Map([...extracted].sort(([a], [b]) => compare(a.path, b.path)));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A file whose quarantined share is above the threshold fails the run; all such files are listed. */
async function checkQuarantineShares(context: StageContext, engine: Engine, state: IngestState, maxShare: number) {
  const failing = Object.values(state.files).filter((file) => file.records > 0 && file.quarantined / file.records > maxShare);
  if (failing.length === 0) return;
  const examples = await engine.quarantineExamples(context, failing.map((file) => file.path), 3);
  throw new InputFilesError(
    failing
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((file) => {
        const first = examples.get(file.path) ?? [];
        return new InputFileError(
          file.path,
          `${formatCount(file.quarantined)} of ${formatCount(file.records)} records (${percent(file.quarantined / file.records)}) could not be parsed, ` +
            `more than the allowed ${percent(maxShare)}` +
            (first.length ? ` (first problems: ${first.join("; ")})` : "") +
            `; fix the file, or raise maxQuarantineShare (--max-quarantine-share)`
        );
      })
  );
}

const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

function buildInputFiles(context: StageContext, canonical: Map<string, RawFile>, state: IngestState) {
  const rows = context.files.map((file) => {
    const ingested = state.files[file.sha256];
    const original = canonical.get(file.sha256)!.path;
    const duplicate = original !== file.path;
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
      duplicate_of: duplicate ? original : null
    };
  });
  return writeRows(context.connection, "input_files", INPUT_FILES_COLUMNS, rows);
}

const INPUT_FILES_COLUMNS = [
  ["path", "VARCHAR"], ["sha256", "VARCHAR"], ["bytes", "BIGINT"], ["compressed", "BOOLEAN"], ["variant", "VARCHAR"],
  ["records", "BIGINT"], ["rows", "BIGINT"], ["quarantined", "BIGINT"], ["blank_lines", "BIGINT"], ["ignored_columns", "VARCHAR"],
  ["duplicate_of", "VARCHAR"]
] as const;
