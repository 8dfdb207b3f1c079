import type {DuckDBConnection} from "@duckdb/node-api";
import {identifier, literal, queryRow} from "../db.js";

/**
 * The Parquet options of every table the pipeline writes. Row groups are DuckDB's own (122,880 rows) and
 * files are only ever written from a stored table (`writeParquet`), never straight from a query: a query's
 * output batches depend on its plan (a cold scan of CSV files, rows carried over from a previous snapshot,
 * the number of threads), and DuckDB cuts row groups where batches add up, so the same rows could be laid
 * out, and hashed, differently. A stored table is scanned one full row group at a time whatever built it,
 * so a snapshot's bytes depend on its content alone, at any size.
 */
export const PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880";

let staging = 0;

/**
 * Writes `source` (a table or view name, or a query in parentheses-free SQL) to `path` as Parquet, through a
 * stored table; returns the row count. A view or query is materialised first (and kept, as `keepAs`, when
 * given: later stages then read the stored table instead of decoding the file again).
 */
export async function writeParquet(connection: DuckDBConnection, source: {table: string} | {sql: string; keepAs?: string}, path: string): Promise<number> {
  if ("table" in source) return copyTable(connection, source.table, path);
  const name = source.keepAs ?? `parquet_staging_${process.pid}_${staging++}`;
  await connection.run(`CREATE OR REPLACE ${source.keepAs ? "" : "TEMP "}TABLE ${identifier(name)} AS ${source.sql}`);
  try {
    return await copyTable(connection, name, path);
  } finally {
    if (!source.keepAs) await connection.run(`DROP TABLE ${identifier(name)}`);
  }
}

async function copyTable(connection: DuckDBConnection, table: string, path: string): Promise<number> {
  return Number((await queryRow<{Count: number}>(connection, `COPY ${identifier(table)} TO ${literal(path)} (${PARQUET_OPTIONS})`)).Count);
}
