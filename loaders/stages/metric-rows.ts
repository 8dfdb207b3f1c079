import type {DuckDBConnection} from "@duckdb/node-api";
import {writeRows, type ColumnType} from "../run/rows.js";
import {MODEL_METRICS_COLUMNS} from "../schema/model-metrics.js";
import type {SnapshotColumn} from "../schema/types.js";

/** One row of a `<model>_metrics` table (the layout of MODEL_METRICS_COLUMNS). */
export interface MetricRow {
  model: string;
  method: string;
  role: "published" | "candidate" | "baseline";
  metric: string;
  split: string;
  value: number;
  n: number;
  details: string;
}

/** Writes a model's evaluation rows as table `name` with exactly the columns of MODEL_METRICS_COLUMNS. */
export async function writeMetricRows(connection: DuckDBConnection, name: string, rows: readonly MetricRow[]): Promise<void> {
  await writeRows(connection, name, columnsOf(MODEL_METRICS_COLUMNS), rows as unknown as Record<string, unknown>[]);
}

/** [name, type] pairs of a documented column set, in order: what writeRows wants. */
export function columnsOf(columns: Record<string, SnapshotColumn>): [string, ColumnType][] {
  return Object.entries(columns).map(([name, spec]) => [name, spec.type]);
}
