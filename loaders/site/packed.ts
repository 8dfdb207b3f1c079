import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {duckdbApi, identifier, literal, queryRows} from "../db.js";
import {SNAPSHOTS, type SnapshotSpec} from "../schema/index.js";

/**
 * The browser's copy of a line-grain snapshot: a read-only DuckDB database file holding one table, packed
 * from the snapshot's Parquet file. DuckDB-WASM attaches it without decoding anything in JavaScript (its
 * own Parquet reader is an extension it would download) and reads it over HTTP range requests, block by
 * block (bench/site-engines.ts measured it fastest). The Parquet snapshot stays the contract; this file is
 * derived from it row for row, sorted by date (then file and line) where the table has one: a date filter
 * then reads only the blocks of its days, and the first rows by date are the first rows stored (the Sales
 * page's line items rely on it). Returns how many rows it packed.
 */
export async function packSnapshot(parquet: string, target: string, table: string, shared?: DuckDBInstance): Promise<{rows: number}> {
  const instance = shared ?? (await (await duckdbApi()).DuckDBInstance.create(":memory:", {autoinstall_known_extensions: "false", threads: "2"}));
  const connection = await instance.connect();
  // A name no other attachment in this process had: on a shared instance (the run's, see early-pack.ts),
  // another connection's open transaction may have seen an earlier file attached under a reused name, and
  // DuckDB then fails the instance ("Database name … was already used by a different database for this meta
  // transaction").
  const alias = nextAttachment();
  try {
    // The pipeline writes its line tables in file and line order, which for daily files is usually the date
    // order already; then the sort is skipped (it is a third of packing: `sales` packs in about 650 ms
    // instead of 900). The check stops at the first row out of order, but reads at least a row group: at
    // 10× the data (generated copies interleaved within each day, so not in order) 0.5–0.9 s of 12 s.
    const order = packedOrder(table);
    const source = `read_parquet(${literal(parquet)})`;
    const sort = order.length > 0 && !(await storedInOrder(connection, source, order)) ? ` ORDER BY ${order.map(identifier).join(", ")}` : "";
    await withoutFsst(connection);
    // The oldest storage format that holds our types, so any DuckDB-WASM from 1.0 on can attach it.
    await connection.run(`ATTACH ${literal(target)} AS ${alias} (STORAGE_VERSION 'v1.0.0')`);
    await connection.run(`CREATE TABLE ${alias}.${identifier(table)} AS FROM ${source}${sort}`);
    const [{rows}] = await queryRows<{rows: number}>(connection, `SELECT count(*)::BIGINT AS rows FROM ${alias}.${identifier(table)}`);
    await connection.run(`DETACH ${alias}`);
    return {rows: rows!};
  } finally {
    connection.closeSync();
    if (!shared) instance.closeSync();
  }
}

/**
 * Packs without FSST string compression: trying it on every string segment was nearly half of packing, and
 * it wins few of them over dictionaries (`sales` 0.81 s instead of 1.46 s and `raw_lines` 0.52 s instead of
 * 1.08 s, bytes unchanged; at 10× the data `sales` 5.6 s instead of 10.6 s for 114 MB instead of 104 MB,
 * `orders` 6.0 MB instead of 4.7 MB). The setting is DuckDB's only per database instance: every pack and
 * patch sets it the same way.
 */
export async function withoutFsst(connection: DuckDBConnection): Promise<void> {
  await connection.run("SET disabled_compression_methods = 'fsst'");
}

let attachments = 0;

/** A name for attaching a packed file that no other attachment in this process had (see packSnapshot). */
export function nextAttachment(): string {
  return `packed_${++attachments}`;
}

/**
 * The columns a packed table is stored in the order of: its spec's `packedOrder`, or by invoice date, then
 * file and line (line items) or invoice number (`orders`), for tables that have them, so that a date filter
 * reads only its days' blocks. None for the others.
 */
export function packedOrder(table: string): string[] {
  const spec = (SNAPSHOTS as Record<string, SnapshotSpec>)[table];
  if (spec?.packedOrder) return [...spec.packedOrder];
  const columns = spec?.columns ?? {};
  if (!("invoice_date" in columns)) return [];
  const then = "source_file" in columns && "source_line" in columns ? ["source_file", "source_line"] : "invoice_no" in columns ? ["invoice_no"] : [];
  return ["invoice_date", ...then];
}

/**
 * Whether the rows of `relation` (a table, or a `read_parquet(…)` call) are stored in ascending order of
 * `columns` (ties in any order), with no NULL among them: each row is compared with the next, the relation
 * read twice side by side (a positional join), so nothing is sorted, and the scan stops at the first row
 * that is out of order.
 */
export async function storedInOrder(connection: DuckDBConnection, relation: string, columns: readonly string[]): Promise<boolean> {
  const here = columns.map((column, index) => `${identifier(column)} AS here_${index}`).join(", ");
  const next = columns.map((column, index) => `${identifier(column)} AS next_${index}`).join(", ");
  const list = (prefix: string) => `(${columns.map((_, index) => `${prefix}_${index}`).join(", ")})`;
  const [{found}] = await queryRows<{found: number}>(
    connection,
    `SELECT count(*)::INTEGER AS found FROM (
       SELECT 1 FROM (SELECT ${here} FROM ${relation}) POSITIONAL JOIN (SELECT ${next} FROM ${relation} OFFSET 1)
       WHERE ${columns.map((_, index) => `here_${index} IS NULL`).join(" OR ")} OR ${list("here")} > ${list("next")}
       LIMIT 1)`
  );
  return found === 0;
}

/** The snapshot contract as JSON for the site (table and column descriptions for the SQL console). */
export function schemaJson(): string {
  const tables = Object.entries(SNAPSHOTS as Record<string, SnapshotSpec>).map(([name, spec]) => ({
    name,
    layer: spec.layer,
    grain: spec.grain,
    description: spec.description,
    browser: spec.browser ?? "parquet",
    columns: Object.entries(spec.columns).map(([column, {type, description}]) => ({name: column, type, description}))
  }));
  return JSON.stringify(tables);
}
