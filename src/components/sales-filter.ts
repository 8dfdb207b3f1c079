/**
 * Applies the filter bar's `Filters` to the small snapshots (fast path, Arquero) and to SQL over line
 * items (`salesWhere`), so every chart on a page answers the same question.
 */
import * as aq from "./arquero.js";
import {previousPeriod, type Filters} from "./url-state.js";

/**
 * Rows of an Arquero table whose `country` is selected and whose day is in range (and, when the table has
 * a `stock_code` column, whose product is selected). `dayColumn` holds `YYYY-MM-DD` strings (see withDay).
 * Tables without `stock_code` (daily_sales, orders) cannot follow a product filter: see productSources.
 *
 * A filter change on the Overview asks for the same few selections of its orders (200,000 rows at 10× the
 * data) from several cells (the KPIs, the leaderboards): the last few results per table are kept, so each
 * is computed once. Tables are never modified in place, so a kept result stays right.
 */
export function filterTable(table: aq.ColumnTable, filters: Filters, dayColumn = "day"): aq.ColumnTable {
  const products = table.columnNames().includes("stock_code") ? (filters.products ?? []) : [];
  const {from, to} = filters;
  if (filters.countries.length === 0 && products.length === 0 && !from && !to) return table;
  const key = JSON.stringify([dayColumn, [...filters.countries].sort(), [...products].sort(), from ?? null, to ?? null]);
  let kept = filtered.get(table);
  if (!kept) filtered.set(table, (kept = new Map()));
  const result = kept.get(key) ?? selectRows(table, new Set(filters.countries), new Set(products), from, to, dayColumn);
  kept.delete(key); // most recently used last
  kept.set(key, result);
  if (kept.size > KEPT_SELECTIONS) kept.delete(kept.keys().next().value!);
  return result;
}

/** Selections kept per table: a filter change needs three (the selection, the comparison's window, and the period before it). */
const KEPT_SELECTIONS = 3;
const filtered = new WeakMap<aq.ColumnTable, Map<string, aq.ColumnTable>>();
/** Whether a table's day column is in ascending order (the orders and daily snapshots are), found once. */
const sortedDays = new WeakMap<aq.ColumnTable, Map<string, boolean>>();

function selectRows(
  table: aq.ColumnTable,
  countries: ReadonlySet<string>,
  products: ReadonlySet<string>,
  from: string | null | undefined,
  to: string | null | undefined,
  dayColumn: string
): aq.ColumnTable {
  // A plain loop over the columns, not Arquero's row-by-row filter; over the rows of the date range only
  // when the days are in order (two binary searches).
  const country = aq.columnValues(table, "country") as ArrayLike<string>;
  const day = aq.columnValues(table, dayColumn) as ArrayLike<string>;
  const product = products.size ? (aq.columnValues(table, "stock_code") as ArrayLike<string>) : null;
  const sorted = isSorted(table, dayColumn, day);
  const start = sorted && from ? firstRow(day, from, false) : 0;
  const end = sorted && to ? firstRow(day, to, true) : day.length;
  const kept: number[] = [];
  for (let row = start; row < end; row++) {
    if (
      (countries.size === 0 || countries.has(country[row]!)) &&
      (product === null || products.has(product[row]!)) &&
      (sorted || ((!from || day[row]! >= from) && (!to || day[row]! <= to)))
    )
      kept.push(row);
  }
  const columns: Record<string, unknown[]> = {};
  for (const name of table.columnNames()) {
    const source = aq.columnValues(table, name);
    const target = new Array(kept.length);
    for (let i = 0; i < kept.length; i++) target[i] = source[kept[i]!];
    columns[name] = target;
  }
  return aq.table(columns);
}

function isSorted(table: aq.ColumnTable, dayColumn: string, day: ArrayLike<string>): boolean {
  let known = sortedDays.get(table);
  if (!known) sortedDays.set(table, (known = new Map()));
  let sorted = known.get(dayColumn);
  if (sorted === undefined) {
    sorted = true;
    for (let row = 1; row < day.length && sorted; row++) sorted = day[row - 1]! <= day[row]!;
    known.set(dayColumn, sorted);
  }
  return sorted;
}

/** The first row whose day is ≥ `day`, or > `day` when `after` (days ascending). */
function firstRow(days: ArrayLike<string>, day: string, after: boolean): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (days[middle]! < day || (after && days[middle] === day)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Adds a `day` column (`YYYY-MM-DD`) from a Date column holding a wall-clock time. */
export function withDay(table: aq.ColumnTable, dateColumn: string): aq.ColumnTable {
  const dates = table.array(dateColumn) as Date[];
  return table.assign({day: Array.from(dates, (date) => date.toISOString().slice(0, 10))});
}

/** The same filters over the previous period of the same length (null when the range is open-ended). */
export function previousFilters(filters: Filters): Filters | null {
  const previous = previousPeriod(filters.from, filters.to);
  return previous && {...filters, ...previous};
}

/**
 * A SQL condition over line items (`sales`: `country`, `invoice_date`) with its parameters, to splice
 * into the `sql` tag: sql`SELECT … FROM sales WHERE ${where.countries} …` is awkward, so pages write
 * query(`SELECT … FROM sales WHERE ${clause.text}`, clause.params). Values are bound, never spliced.
 */
export function salesWhere(filters: Filters, {date = "invoice_date", country = "country", product = "stock_code"} = {}): {text: string; params: unknown[]} {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filters.countries.length > 0) {
    conditions.push(`${country} IN (${filters.countries.map(() => "?").join(", ")})`);
    params.push(...filters.countries);
  }
  if ((filters.products ?? []).length > 0) {
    conditions.push(`${product} IN (${filters.products.map(() => "?").join(", ")})`);
    params.push(...filters.products);
  }
  if (filters.from) {
    conditions.push(`${date} >= CAST(? AS DATE)`);
    params.push(filters.from);
  }
  if (filters.to) {
    conditions.push(`${date} < CAST(? AS DATE) + INTERVAL 1 DAY`);
    params.push(filters.to);
  }
  return {text: conditions.length ? conditions.join(" AND ") : "TRUE", params};
}
