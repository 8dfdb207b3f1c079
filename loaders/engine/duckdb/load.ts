import type {DuckDBConnection} from "@duckdb/node-api";
import {join} from "node:path";
import {listLiteral, literal, queryRows} from "../../db.js";
import type {Header} from "../../extract/header.js";
import {PARQUET_OPTIONS} from "../../run/runner.js";
import type {StageContext} from "../../run/stage.js";
import type {FileCounts, LoadRequest} from "../engine.js";
import {
  dropRejectsSql, QUARANTINE_COLUMNS, RAW_COLUMNS, rejectedRecordsSql, typedRowsSql, valueProblemsSql, type StagedFiles
} from "./load-sql.js";

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Parses the staged files into `raw_lines` and `quarantine` (see writeRawTables) and counts both per file. */
export async function load(context: StageContext, request: LoadRequest): Promise<Map<string, FileCounts>> {
  await writeRawTables(context, request);
  return countByFile(context.connection, context.outputPath("raw_lines"), context.outputPath("quarantine"));
}

/**
 * Writes `raw_lines` and `quarantine` as Parquet: newly parsed files plus the rows carried over from the
 * previous snapshots (renamed if a content's canonical path changed), in file and line order. DuckDB
 * scans keep the order of the files they read, so the common cases (a first run, files appended after the
 * existing ones) stream straight through; anything else is sorted.
 */
async function writeRawTables(context: StageContext, {stagingDir, extracted, carried, previousPaths}: LoadRequest) {
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
