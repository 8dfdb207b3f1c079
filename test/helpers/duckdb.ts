import {DuckDBInstance} from "@duckdb/node-api";
import {join} from "node:path";
import {queryRows, type Row} from "../../loaders/db.js";

/** Reads a snapshot of a warehouse with a fresh DuckDB, as a page or any other reader would. */
export async function readSnapshot<T = Row>(warehouse: string, name: string, sql = "SELECT * FROM t"): Promise<T[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const path = join(warehouse, "snapshots", `${name}.parquet`).replaceAll("'", "''");
    await connection.run(`CREATE VIEW t AS FROM read_parquet('${path}')`);
    return await queryRows<T>(connection, sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
