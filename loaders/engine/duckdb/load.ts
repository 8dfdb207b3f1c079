import type {DuckDBConnection} from "@duckdb/node-api";
import {existsSync} from "node:fs";
import {join} from "node:path";
import {listLiteral, literal, queryRow, queryRows} from "../../db.js";
import type {Header} from "../../extract/header.js";
import {sha256File} from "../../run/files.js";
import {PARQUET_OPTIONS} from "../../run/parquet.js";
import type {StageContext} from "../../run/stage.js";
import type {FileCounts, HeldFile, LoadRequest} from "../engine.js";
import {dropRejectsSql, QUARANTINE_COLUMNS, rejectedRecordsSql, typedRowsSql, valueProblemsSql, type StagedFiles} from "./load-sql.js";

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The previous run's rows live in its `raw_lines` and `quarantine` snapshots: they can be carried over
 * when both are exactly the files the manifest describes (a hand-edited or half-replaced snapshot means
 * every file is parsed again).
 */
export async function held(context: StageContext, previous: ReadonlyMap<string, HeldFile>): Promise<Set<string>> {
  for (const name of ["raw_lines", "quarantine"]) {
    const table = context.previous.tables[name];
    const path = table && join(context.options.warehouseDir, table.file);
    if (!path || !existsSync(path) || sha256File(path) !== table.sha256) return new Set();
  }
  return new Set(previous.keys());
}

/** Parses the staged files into `raw_lines` and `quarantine` (see writeRawTables) and counts both per file. */
export async function load(context: StageContext, request: LoadRequest): Promise<Map<string, FileCounts>> {
  const quarantined = await writeRawTables(context, request);
  if (quarantined > 0 || [...request.carried.values()].some((file) => file.quarantined > 0)) {
    return countByFile(context.connection, context.outputPath("raw_lines"), context.outputPath("quarantine"));
  }
  // Nothing anywhere was quarantined, so every record of every file is a row.
  const counts = new Map<string, FileCounts>();
  for (const [file, result] of request.extracted) counts.set(file.path, {rows: result.records, quarantined: 0});
  for (const [sha, file] of request.carried) {
    counts.set(context.files.find((candidate) => candidate.sha256 === sha)!.path, {rows: file.rows, quarantined: 0});
  }
  return counts;
}

/**
 * Writes `raw_lines` and `quarantine` as Parquet: newly parsed files plus the rows carried over from the
 * previous snapshots (renamed if a content's canonical path changed), in file and line order. DuckDB
 * scans keep the order of the files they read, so the common cases (a first run, files appended after the
 * existing ones) stream straight through; anything else is sorted. Returns how many new records were
 * quarantined; the records that parsed, failed the CSV reader, failed extraction or hold an unusable value
 * must add up to the records extracted, or the load fails.
 */
async function writeRawTables(context: StageContext, {stagingDir, extracted, carried, previousPaths}: LoadRequest): Promise<number> {
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

  // The canonical path of a content is its first path (files are in path order): a later copy must not win.
  const pathOf = new Map<string, string>();
  for (const file of files) if (!pathOf.has(file.sha256)) pathOf.set(file.sha256, file.path);
  const renames = [...carried].filter(([sha, old]) => pathOf.get(sha) !== old.path).map(([sha, old]) => [old.path, pathOf.get(sha)!]);
  const keep = new Set([...carried.values()].map((file) => file.path));
  const dropped = previousPaths.filter((path) => !keep.has(path));
  const carriedSql = (table: "raw_lines" | "quarantine", extra: string[] = []) => {
    const sources = [join(options.warehouseDir, previous.tables[table].file), ...extra];
    const renamed =
      renames.length === 0
        ? "source_file"
        : `CASE source_file ${renames.map(([from, to]) => `WHEN ${literal(from)} THEN ${literal(to)}`).join(" ")} ELSE source_file END`;
    return (
      `SELECT ${renamed} AS source_file, * EXCLUDE (source_file) FROM read_parquet(${listLiteral(sources)})` +
      (dropped.length > 0 ? ` WHERE source_file NOT IN (SELECT unnest(${listLiteral(dropped)}))` : "")
    );
  };

  const rawPath = context.outputPath("raw_lines");
  const newPaths = [...extracted.keys()].map((file) => file.path);
  const carriedPaths = previousPaths
    .filter((path) => keep.has(path))
    .sort(compare)
    .map((path) => renames.find(([from]) => from === path)?.[1] ?? path);
  const inOrder = [...carriedPaths, ...newPaths].every((path, index, all) => index === 0 || compare(all[index - 1], path) < 0);
  const copy = async (sql: string, path: string) =>
    (await queryRow<{Count: number}>(connection, `COPY (${sql}) TO ${literal(path)} (${PARQUET_OPTIONS})`)).Count;
  const carriedRows = [...carried.values()].reduce((sum, file) => sum + file.rows, 0);
  let parsed: number;
  if (carried.size === 0 && groupList.length === 1) {
    parsed = await copy(typedRowsSql(groupList[0].files, groupList[0].header, 0), rawPath);
  } else if (carried.size > 0 && groupList.length <= 1 && inOrder && dropped.length === 0) {
    const fresh: string[] = [];
    parsed = 0;
    if (groupList.length === 1) {
      fresh.push(join(context.runDir, "new_raw_lines.parquet"));
      parsed = await copy(typedRowsSql(groupList[0].files, groupList[0].header, 0), fresh[0]);
    }
    await copy(carriedSql("raw_lines", fresh), rawPath);
  } else {
    const parts = [...groupList.map((group, index) => typedRowsSql(group.files, group.header, index)), ...(carried.size > 0 ? [carriedSql("raw_lines")] : [])];
    parsed = (await copySorted(connection, parts, rawPath)) - carriedRows;
  }
  let rejected = 0;
  for (let index = 0; index < groupList.length; index++) {
    rejected += (await queryRow<{n: number}>(connection, `SELECT count(DISTINCT (scan_id, file_id, line)) AS n FROM staged_rejects_${index}`)).n;
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
  const records = [...extracted.values()].reduce((sum, result) => sum + result.records, 0);
  // Records with a value that cannot be typed are the ones left over; only then is a second scan needed.
  const unusable = records - parsed - rejected - issues.length;
  const quarantineParts = [
    ...(unusable > 0 ? groupList.map((group, index) => valueProblemsSql(group.files, group.header, index)) : []),
    ...groupList.map((group, index) => rejectedRecordsSql(group.files, group.header, index)),
    "FROM extract_issues",
    ...(carried.size > 0 ? [carriedSql("quarantine")] : [])
  ];
  const carriedQuarantined = [...carried.values()].reduce((sum, file) => sum + file.quarantined, 0);
  const quarantined = (await copySorted(connection, quarantineParts, context.outputPath("quarantine"))) - carriedQuarantined;
  await connection.run("DROP TABLE extract_issues");
  if (unusable < 0 || quarantined !== rejected + issues.length + unusable) {
    // Every record must land in exactly one place; anything else is a bug, never a silent loss.
    throw new Error(
      `loading ${extracted.size} files: ${records} records were extracted but ${parsed} parsed, ${rejected} rejected by the CSV reader, ` +
        `${issues.length} kept out by extraction and ${quarantined - rejected - issues.length} with unusable values; please report this`
    );
  }
  return quarantined;
}

/** Writes the union of `parts` (each in one table's layout) to Parquet, sorted by file and line; returns the row count. */
async function copySorted(connection: DuckDBConnection, parts: string[], path: string): Promise<number> {
  const union = parts.map((part) => `(${part})`).join("\nUNION ALL BY NAME\n");
  const sql = `COPY (SELECT * FROM (${union}) ORDER BY source_file, source_line) TO ${literal(path)} (${PARQUET_OPTIONS})`;
  return (await queryRow<{Count: number}>(connection, sql)).Count;
}

async function countByFile(connection: DuckDBConnection, rawPath: string, quarantinePath: string): Promise<Map<string, FileCounts>> {
  const rows = await queryRows<{path: string; rows: number; quarantined: number}>(
    connection,
    `SELECT path, sum(rows)::BIGINT AS rows, sum(quarantined)::BIGINT AS quarantined FROM (
       SELECT source_file AS path, count(*) AS rows, 0 AS quarantined FROM read_parquet(${literal(rawPath)}) GROUP BY ALL
       UNION ALL SELECT source_file, 0, count(*) FROM read_parquet(${literal(quarantinePath)}) GROUP BY ALL)
     GROUP BY path`
  );
  return new Map(rows.map((row) => [row.path, row]));
}

/** The first `limit` quarantine reasons of each of `paths`, in line order, for error messages. */
export async function quarantineExamples(context: StageContext, paths: readonly string[], limit: number): Promise<Map<string, string[]>> {
  const rows = await queryRows<{source_file: string; source_line: number; reason: string}>(
    context.connection,
    `SELECT source_file, source_line, reason FROM read_parquet(${literal(context.outputPath("quarantine"))})
     WHERE source_file IN (SELECT unnest(${listLiteral(paths)}))
     QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY source_line) <= ${limit} ORDER BY source_file, source_line`
  );
  const examples = new Map<string, string[]>();
  for (const row of rows) examples.set(row.source_file, [...(examples.get(row.source_file) ?? []), `line ${row.source_line}: ${row.reason}`]);
  return examples;
}
