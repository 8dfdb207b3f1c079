import type {DuckDBInstance} from "@duckdb/node-api";
import {statSync} from "node:fs";
import {literal, queryRows} from "../db.js";
import type {ColumnInfo, RunRecord} from "./manifest.js";

/** Writes the run history (one row per stage of each run) as the `pipeline_runs` Parquet file. */
export async function writeRunsTable(instance: DuckDBInstance, runs: readonly RunRecord[], path: string): Promise<{rows: number; bytes: number; columns: ColumnInfo[]}> {
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE OR REPLACE TEMP TABLE pipeline_runs (
      run_id VARCHAR, started_at VARCHAR, run_status VARCHAR, run_duration_ms DOUBLE, stage VARCHAR, stage_status VARCHAR,
      reason VARCHAR, duration_ms DOUBLE, rows_in BIGINT, rows_out BIGINT, detail VARCHAR)`);
    const appender = await connection.createAppender("pipeline_runs", "main", "temp");
    let rows = 0;
    for (const run of runs) {
      for (const stage of run.stages) {
        appender.appendVarchar(run.runId);
        appender.appendVarchar(run.startedAt.replace("T", " ").replace("Z", ""));
        appender.appendVarchar(run.status);
        appender.appendDouble(run.durationMs);
        appender.appendVarchar(stage.name);
        appender.appendVarchar(stage.status);
        appender.appendVarchar(stage.reason);
        appender.appendDouble(stage.durationMs);
        if (stage.rowsIn === null) appender.appendNull();
        else appender.appendBigInt(BigInt(stage.rowsIn));
        if (stage.rowsOut === null) appender.appendNull();
        else appender.appendBigInt(BigInt(stage.rowsOut));
        if (stage.detail === null) appender.appendNull();
        else appender.appendVarchar(stage.detail);
        appender.endRow();
        rows++;
      }
    }
    appender.closeSync();
    const typed = "SELECT * REPLACE (CAST(started_at AS TIMESTAMP) AS started_at) FROM pipeline_runs";
    await connection.run(`COPY (${typed}) TO ${literal(path)} (FORMAT parquet, COMPRESSION zstd)`);
    const columns = (await queryRows<{column_name: string; column_type: string}>(connection, `DESCRIBE ${typed}`)).map((column) => ({
      name: column.column_name,
      type: column.column_type
    }));
    return {rows, bytes: statSync(path).size, columns};
  } finally {
    connection.closeSync();
  }
}
