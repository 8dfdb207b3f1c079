import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll} from "vitest";
import {openDatabase, queryRows, type Row} from "../../loaders/db.js";

/**
 * A DuckDB connection for the test file, opened as the pipeline opens its database (one thread, a small
 * memory limit) before its tests and closed after them. Call at the top of a file; use the getter inside tests.
 */
export function pipelineConnection(): () => DuckDBConnection {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  beforeAll(async () => {
    instance = await openDatabase({threads: 1, memoryLimit: "256MB", tempDirectory: tmpdir()});
    connection = await instance.connect();
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });
  return () => {
    if (!connection) throw new Error("pipelineConnection: the connection is opened in beforeAll; use it inside tests");
    return connection;
  };
}

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
