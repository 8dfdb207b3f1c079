import type {DuckDBConnection} from "@duckdb/node-api";
import {existsSync, mkdirSync} from "node:fs";
import {dirname, join} from "node:path";
import {listLiteral, literal, queryRows} from "../db.js";
import {
  dropRejectsSql, QUARANTINE_COLUMNS, RAW_COLUMNS, rejectedRecordsSql, stagedPath, typedRowsSql, valueProblemsSql, type StagedFiles
} from "../engine/load-sql.js";
import {InputFileError, InputFilesError, PipelineError} from "../errors.js";
import type {RawFile} from "../extract/discover.js";
import {extractFile, type ExtractResult} from "../extract/extract.js";
import type {Header} from "../extract/header.js";
import {sha256File} from "../run/files.js";
import {formatCount} from "../run/progress.js";
import {codeHash, PARQUET_OPTIONS} from "../run/runner.js";
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
  code: [
    import.meta.url,
    new URL("../extract/extract.ts", import.meta.url).href,
    new URL("../extract/header.ts", import.meta.url).href,
    new URL("../engine/load-sql.ts", import.meta.url).href
  ],
  options: ({maxQuarantineShare}) => ({maxQuarantineShare}),
  fingerprintExtra: ({files}) => files.map((file) => [file.path, file.sha256]),
  run: ingest
};

async function ingest(context: StageContext) {
  const {options, files, connection, runId} = context;
  if (files.length === 0) {
    throw new PipelineError(`no input files found under ${options.rawDir} (looking for *.csv and *.csv.gz files); add data or pass --raw DIR`);
  }
  const code = codeHash(ingestStage);
  const canonical = new Map<string, RawFile>();
  for (const file of files) if (!canonical.has(file.sha256)) canonical.set(file.sha256, file);

  const carried = carriedOver(context, code, canonical);
  const toLoad = [...canonical.values()].filter((file) => !carried.has(file.sha256));
  context.progress({detail: `${formatCount(files.length)} files, ${formatCount(toLoad.length)} to read`});
  const stagingDir = join(context.runDir, "staged");
  const extracted = await extractAll(toLoad, stagingDir, context.progress);

  const state: IngestState = {code, files: {}};
  for (const [sha, file] of carried) state.files[sha] = {...file, path: canonical.get(sha)!.path};
  await writeRawTables(context, stagingDir, extracted, carried);
  const counts = await countByFile(connection, context.outputPath("raw_lines"), context.outputPath("quarantine"));
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
  await checkQuarantineShares(connection, state, options.maxQuarantineShare, context.outputPath("quarantine"));
  await buildInputFiles(connection, files, canonical, state);

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

/**
 * Files whose rows can be carried over from the previous snapshots: parsed by this same ingest code and
 * still present, provided the previous snapshots are exactly the ones the manifest describes.
 */
function carriedOver(context: StageContext, code: string, canonical: Map<string, RawFile>): Map<string, IngestedFile> {
  const previous = context.previousState as IngestState | null | undefined;
  const carried = new Map<string, IngestedFile>();
  if (!previous || previous.code !== code || context.options.force) return carried;
  for (const name of ["raw_lines", "quarantine"]) {
    const table = context.previous.tables[name];
    const path = table && join(context.options.warehouseDir, table.file);
    if (!path || !existsSync(path) || sha256File(path) !== table.sha256) return carried;
  }
  for (const [sha, file] of Object.entries(previous.files)) if (canonical.has(sha)) carried.set(sha, file);
  return carried;
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

/**
 * Writes `raw_lines` and `quarantine` as Parquet: newly parsed files plus the rows carried over from the
 * previous snapshots (renamed if a content's canonical path changed), in file and line order. DuckDB
 * scans keep the order of the files they read, so the common cases (a first run, files appended after the
 * existing ones) stream straight through; anything else is sorted.
 */
async function writeRawTables(context: StageContext, stagingDir: string, extracted: Map<RawFile, ExtractResult>, carried: Map<string, IngestedFile>) {
  const {connection, previous, options, files} = context;
  const groups = new Map<string, {header: Header; files: StagedFiles}>();
  for (const [file, result] of extracted) {
    const key = result.header.columns.join("\u0000");
    const group = groups.get(key) ?? {header: result.header, files: {stagingDir, paths: []}};
    group.files.paths.push(file.path);
    groups.set(key, group);
  }
  const groupList = [...groups.values()];
  for (let index = 0; index < groupList.length; index++) await connection.run(dropRejectsSql(index));

  const pathOf = new Map(files.map((file) => [file.sha256, file.path]));
  const renames = [...carried].filter(([sha, old]) => pathOf.get(sha) !== old.path).map(([sha, old]) => [old.path, pathOf.get(sha)!]);
  const keep = new Set([...carried.values()].map((file) => file.path));
  const previousPaths = Object.values((context.previousState as IngestState | null)?.files ?? {}).map((file) => file.path);
  const dropped = previousPaths.filter((path) => !keep.has(path));
  const carriedSql = (table: "raw_lines" | "quarantine", extra: string[] = []) => {
    const sources = [join(options.warehouseDir, previous.tables[table].file), ...extra];
    const renamed = renames.length === 0 ? "source_file" : `CASE source_file ${renames.map(([from, to]) => `WHEN ${literal(from)} THEN ${literal(to)}`).join(" ")} ELSE source_file END`;
    return `SELECT ${renamed} AS source_file, * EXCLUDE (source_file) FROM read_parquet(${listLiteral(sources)})` +
      (dropped.length > 0 ? ` WHERE source_file NOT IN (SELECT unnest(${listLiteral(dropped)}))` : "");
  };

  const rawPath = context.outputPath("raw_lines");
  const newPaths = [...extracted.keys()].map((file) => file.path);
  const carriedPaths = previousPaths.filter((path) => keep.has(path)).sort(compare).map((path) => renames.find(([from]) => from === path)?.[1] ?? path);
  const inOrder = [...carriedPaths, ...newPaths].every((path, index, all) => index === 0 || compare(all[index - 1], path) < 0);
  if (carried.size === 0 && groupList.length === 1) {
    await connection.run(`COPY (${typedRowsSql(groupList[0].files, groupList[0].header, 0)}) TO ${literal(rawPath)} (${PARQUET_OPTIONS})`);
  } else if (carried.size > 0 && groupList.length <= 1 && inOrder && dropped.length === 0) {
    const fresh: string[] = [];
    if (groupList.length === 1) {
      fresh.push(join(context.runDir, "new_raw_lines.parquet"));
      await connection.run(`COPY (${typedRowsSql(groupList[0].files, groupList[0].header, 0)}) TO ${literal(fresh[0])} (${PARQUET_OPTIONS})`);
    }
    await connection.run(`COPY (${carriedSql("raw_lines", fresh)}) TO ${literal(rawPath)} (${PARQUET_OPTIONS})`);
  } else {
    const parts = [...groupList.map((group, index) => typedRowsSql(group.files, group.header, index)), ...(carried.size > 0 ? [carriedSql("raw_lines")] : [])];
    await copySorted(connection, parts, RAW_COLUMNS, rawPath);
  }

  const issues = [...extracted].flatMap(([file, result]) => result.issues.map((issue) => ({...issue, path: file.path})));
  await connection.run(`CREATE OR REPLACE TEMP TABLE extract_issues (${QUARANTINE_COLUMNS})`);
  if (issues.length > 0) {
    const appender = await connection.createAppender("extract_issues", "main", "temp");
    for (const issue of issues) {
      appender.appendVarchar(issue.path);
      appender.appendBigInt(BigInt(issue.line));
      appender.appendVarchar(issue.reason.startsWith("invalid UTF-8") ? "encoding" : "quoting");
      appender.appendVarchar(issue.reason);
      appender.appendVarchar(issue.text);
      appender.endRow();
    }
    appender.closeSync();
  }
  const quarantineParts = [
    ...groupList.map((group, index) => valueProblemsSql(group.files, group.header, index)),
    ...groupList.map((group, index) => rejectedRecordsSql(group.files, group.header, index)),
    "FROM extract_issues",
    ...(carried.size > 0 ? [carriedSql("quarantine")] : [])
  ];
  await copySorted(connection, quarantineParts, QUARANTINE_COLUMNS, context.outputPath("quarantine"));
  await connection.run("DROP TABLE extract_issues");
}

/** Writes the union of `parts` (each in the `columns` layout) to Parquet, sorted by file and line. */
async function copySorted(connection: DuckDBConnection, parts: string[], columns: string, path: string): Promise<void> {
  const union = parts.map((part) => `(${part})`).join("\nUNION ALL BY NAME\n");
  await connection.run(`COPY (SELECT * FROM (${union}) ORDER BY source_file, source_line) TO ${literal(path)} (${PARQUET_OPTIONS})`);
}

async function countByFile(connection: DuckDBConnection, rawPath: string, quarantinePath: string) {
  const rows = await queryRows<{path: string; rows: number; quarantined: number}>(
    connection,
    `SELECT path, sum(rows)::BIGINT AS rows, sum(quarantined)::BIGINT AS quarantined FROM (
       SELECT source_file AS path, count(*) AS rows, 0 AS quarantined FROM read_parquet(${literal(rawPath)}) GROUP BY ALL
       UNION ALL SELECT source_file, 0, count(*) FROM read_parquet(${literal(quarantinePath)}) GROUP BY ALL)
     GROUP BY path`
  );
  return new Map(rows.map((row) => [row.path, row]));
}

/** A file whose quarantined share is above the threshold fails the run; all such files are listed. */
async function checkQuarantineShares(connection: DuckDBConnection, state: IngestState, maxShare: number, quarantinePath: string) {
  const failing = Object.values(state.files).filter((file) => file.records > 0 && file.quarantined / file.records > maxShare);
  if (failing.length === 0) return;
  const examples = await queryRows<{source_file: string; source_line: number; reason: string}>(
    connection,
    `SELECT source_file, source_line, reason FROM read_parquet(${literal(quarantinePath)})
     WHERE source_file IN (SELECT unnest(${listLiteral(failing.map((file) => file.path))}))
     QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY source_line) <= 3 ORDER BY source_file, source_line`
  );
  throw new InputFilesError(
    failing
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((file) => {
        const first = examples.filter((example) => example.source_file === file.path).map((example) => `line ${example.source_line}: ${example.reason}`);
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

async function buildInputFiles(connection: DuckDBConnection, files: readonly RawFile[], canonical: Map<string, RawFile>, state: IngestState) {
  await connection.run(`
    CREATE OR REPLACE TABLE input_files (
      path VARCHAR, sha256 VARCHAR, bytes BIGINT, compressed BOOLEAN, variant VARCHAR, records BIGINT, rows BIGINT,
      quarantined BIGINT, blank_lines BIGINT, ignored_columns VARCHAR, duplicate_of VARCHAR)`);
  const appender = await connection.createAppender("input_files");
  for (const file of files) {
    const ingested = state.files[file.sha256];
    const original = canonical.get(file.sha256)!;
    const duplicate = original.path !== file.path;
    appender.appendVarchar(file.path);
    appender.appendVarchar(file.sha256);
    appender.appendBigInt(BigInt(file.bytes));
    appender.appendBoolean(ingested.compressed);
    appender.appendVarchar(ingested.variant);
    for (const count of [ingested.records, ingested.rows, ingested.quarantined, ingested.blankLines]) appender.appendBigInt(BigInt(duplicate ? 0 : count));
    if (ingested.ignoredColumns.length > 0) appender.appendVarchar(ingested.ignoredColumns.join(","));
    else appender.appendNull();
    if (duplicate) appender.appendVarchar(original.path);
    else appender.appendNull();
    appender.endRow();
  }
  appender.closeSync();
}
