import type {DuckDBInstance} from "@duckdb/node-api";
import {statSync} from "node:fs";
import {literal, queryRows} from "../db.js";
import type {ColumnInfo, RunRecord} from "./manifest.js";
import {writeRows} from "./table-io.js";

const RUN_COLUMNS = [
  ["run_id", "VARCHAR"],
  ["started_at", "TIMESTAMP"],
  ["run_status", "VARCHAR"],
  ["run_duration_ms", "DOUBLE"],
  ["stage", "VARCHAR"],
  ["stage_status", "VARCHAR"],
  ["reason", "VARCHAR"],
  ["duration_ms", "DOUBLE"],
  ["rows_in", "BIGINT"],
  ["rows_out", "BIGINT"],
  ["detail", "VARCHAR"]
] as const;

/** Writes the run history (one row per stage of each run) as the `pipeline_runs` Parquet file. */
export async function writeRunsTable(
  instance: DuckDBInstance,
  runs: readonly RunRecord[],
  path: string
): Promise<{rows: number; bytes: number; columns: ColumnInfo[]}> {
  const connection = await instance.connect();
  try {
    const rows = runs.flatMap((run) =>
      run.stages.map((stage) => ({
        run_id: run.runId,
        started_at: run.startedAt.replace("T", " ").replace("Z", ""),
        run_status: run.status,
        run_duration_ms: run.durationMs,
        stage: stage.name,
        stage_status: stage.status,
        reason: stage.reason,
        duration_ms: stage.durationMs,
        rows_in: stage.rowsIn,
        rows_out: stage.rowsOut,
        detail: stage.detail
      }))
    );
    await writeRows(connection, "pipeline_runs_table", RUN_COLUMNS, rows);
    await connection.run(`COPY pipeline_runs_table TO ${literal(path)} (FORMAT parquet, COMPRESSION snappy)`);
    const columns = (await queryRows<{column_name: string; column_type: string}>(connection, "DESCRIBE pipeline_runs_table")).map((column) => ({
      name: column.column_name,
      type: column.column_type
    }));
    await connection.run("DROP TABLE pipeline_runs_table");
    return {rows: rows.length, bytes: statSync(path).size, columns};
  } finally {
    connection.closeSync();
  }
}
