import {fitWindow, type FitWindow, type RefitPeriod} from "../run/fit-window.js";
import type {DuckDBConnection} from "@duckdb/node-api";
import {MODEL_METRICS_COLUMNS} from "../schema/model-metrics.js";
import {appendColumns} from "../run/append.js";
import {writeRows, type ColumnType} from "../run/rows.js";
import type {SnapshotColumn} from "../schema/types.js";
import type {MetricRow} from "../../models/metrics.js";

/**
 * Input and output helpers of the sales and product model stages: columns straight from DuckDB's result
 * chunks into typed arrays (several times faster than converting rows), and the `<model>_metrics` table.
 */

export type Column = Int32Array | Float64Array | (string | null)[];

/**
 * Runs `sql` and returns each column: INTEGER, SMALLINT and TINYINT as Int32Array (NULL is an error:
 * COALESCE it), other numbers as Float64Array (NULL → NaN), VARCHAR as strings (NULL → null). Cast
 * dates to VARCHAR or to day numbers in the query.
 */
export async function readColumns(connection: DuckDBConnection, sql: string): Promise<Record<string, Column>> {
  const result = await connection.run(sql);
  const names = result.columnNames();
  const types = result.columnTypes().map((type) => String(type));
  const rows = result.rowCount;
  const columns: Column[] = types.map((type, c) => {
    if (/^(INTEGER|SMALLINT|TINYINT)$/.test(type)) return new Int32Array(rows);
    if (/^(BIGINT|HUGEINT|UINTEGER|USMALLINT|UTINYINT|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(type)) return new Float64Array(rows);
    if (type === "VARCHAR") return new Array<string | null>(rows);
    throw new Error(`readColumns: column ${names[c]} has type ${type}; cast it to a number or VARCHAR in the query`);
  });
  let at = 0;
  for (let index = 0; index < result.chunkCount; index++) {
    const chunk = result.getChunk(index);
    const size = chunk.rowCount;
    columns.forEach((column, c) => {
      const vector = chunk.getColumnVector(c);
      if (column instanceof Int32Array) {
        for (let k = 0; k < size; k++) {
          const value = vector.getItem(k);
          if (value === null) throw new Error(`readColumns: NULL in integer column ${names[c]}; COALESCE it in the query`);
          column[at + k] = value as number;
        }
      } else if (column instanceof Float64Array) {
        for (let k = 0; k < size; k++) {
          const value = vector.getItem(k);
          column[at + k] = value === null ? Number.NaN : Number(typeof value === "object" ? String(value) : value);
        }
      } else {
        for (let k = 0; k < size; k++) {
          const value = vector.getItem(k);
          column[at + k] = value === null ? null : String(value);
        }
      }
    });
    at += size;
  }
  return Object.fromEntries(names.map((name, c) => [name, columns[c]]));
}

/** Typed accessors for `readColumns` results (a wrong type is a bug in the stage's query). */
export function ints(columns: Record<string, Column>, name: string): Int32Array {
  const column = columns[name];
  if (!(column instanceof Int32Array)) throw new Error(`column ${name} is not an INTEGER column`);
  return column;
}

export function numbers(columns: Record<string, Column>, name: string): Float64Array {
  const column = columns[name];
  if (!(column instanceof Float64Array)) throw new Error(`column ${name} is not a floating-point column`);
  return column;
}

export function strings(columns: Record<string, Column>, name: string): (string | null)[] {
  const column = columns[name];
  if (!Array.isArray(column)) throw new Error(`column ${name} is not a VARCHAR column`);
  return column;
}

/** [name, type] pairs of a documented column set, in order: what writeRows wants. */
export function columnsOf(columns: Record<string, SnapshotColumn>): [string, ColumnType][] {
  return Object.entries(columns).map(([name, spec]) => [name, spec.type]);
}

/** Which fit a model's rows come from: "fitted and evaluated on data through …; scores as of …". */
export interface FitDates {
  fittedThrough: string | null;
  scoredAsOf: string | null;
}

/** Writes a model's evaluation rows as `<model>_metrics` (exactly MODEL_METRICS_COLUMNS), in a stable order. */
export async function writeMetrics(connection: DuckDBConnection, table: string, rows: readonly MetricRow[], fit: FitDates): Promise<void> {
  const dated = rows.map((row) => ({...row, fitted_through: fit.fittedThrough, scored_as_of: fit.scoredAsOf}));
  await writeRows(connection, `${table}__unsorted`, columnsOf(MODEL_METRICS_COLUMNS), dated);
  await connection.run(`CREATE OR REPLACE TABLE "${table}" AS SELECT * FROM "${table}__unsorted" ORDER BY model, role, method, metric, split; DROP TABLE "${table}__unsorted"`);
}

/** Day number (days since 1970-01-01) → ISO date. */
export function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Creates table `name` from columns (typed arrays or arrays of the same length): the fast way back for
 * large model outputs, without building a row object per row. INTEGER and DOUBLE only; NaN → NULL.
 */
export async function writeColumns(connection: DuckDBConnection, name: string, columns: readonly (readonly [string, "INTEGER" | "DOUBLE", ArrayLike<number>])[]): Promise<void> {
  const length = columns[0]?.[2].length ?? 0;
  for (const [column, , values] of columns) {
    if (values.length !== length) throw new Error(`writeColumns: column ${column} has ${values.length} values; expected ${length}`);
  }
  await connection.run(`CREATE OR REPLACE TABLE "${name}" (${columns.map(([column, type]) => `"${column}" ${type}`).join(", ")})`);
  const appender = await connection.createAppender(name);
  await appendColumns(appender, columns.map(([, type]) => type), length, (c, row) => {
    const value = columns[c][2][row];
    return Number.isNaN(value) ? null : value;
  });
  appender.closeSync();
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
