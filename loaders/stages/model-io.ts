import {fitWindow, type FitWindow, type RefitPeriod} from "../run/fit-window.js";
import type {DuckDBConnection} from "@duckdb/node-api";
import {MODEL_METRICS_COLUMNS} from "../schema/model-metrics.js";
import {columnsOf, writeRows} from "../run/table-io.js";
import type {MetricRow} from "../../models/metrics.js";

/** What every model stage writes besides its snapshots: the `<model>_metrics` table, and which fit it shows. */

/** Which fit a model's rows come from: "fitted and evaluated on data through …; scores as of …". */
export interface FitDates {
  fittedThrough: string | null;
  scoredAsOf: string | null;
}

/** Writes a model's evaluation rows as `<model>_metrics` (exactly MODEL_METRICS_COLUMNS), in a stable order. */
export async function writeMetrics(connection: DuckDBConnection, table: string, rows: readonly MetricRow[], fit: FitDates): Promise<void> {
  const dated = rows.map((row) => ({...row, fitted_through: fit.fittedThrough, scored_as_of: fit.scoredAsOf}));
  await writeRows(connection, `${table}__unsorted`, columnsOf(MODEL_METRICS_COLUMNS), dated);
  await connection.run(
    `CREATE OR REPLACE TABLE "${table}" AS SELECT * FROM "${table}__unsorted" ORDER BY model, role, method, metric, split; DROP TABLE "${table}__unsorted"`
  );
}

/** Day number (days since 1970-01-01) → ISO date. */
export function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The fit window of this run for a model reading `table` (with an `invoice_date`): the data through the
 * end of the last complete refit period (options.refit). Null when the table is empty.
 */
export async function fitWindowOf(connection: DuckDBConnection, refit: RefitPeriod, table = "sales"): Promise<FitWindow | null> {
  const reader = await connection.runAndReadAll(
    `SELECT strftime(min(invoice_date)::DATE, '%Y-%m-%d') AS first_day, strftime(max(invoice_date)::DATE, '%Y-%m-%d') AS last_day FROM "${table}"`
  );
  const [firstDay, lastDay] = reader.getRows()[0] as [string | null, string | null];
  return firstDay && lastDay ? fitWindow(firstDay, lastDay, refit) : null;
}

/** For a stage's detail line: which fit its outputs come from, and whether it was made in this run. */
export function fitNote(window: FitWindow | null, reused: boolean): string {
  return window ? `${reused ? "fit reused" : "fitted"} on data through ${window.fittedThrough}` : "nothing to fit";
}
