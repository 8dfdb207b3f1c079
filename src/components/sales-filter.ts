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
 */
export function filterTable(table: aq.ColumnTable, filters: Filters, dayColumn = "day"): aq.ColumnTable {
  const countries = new Set(filters.countries);
  const products = new Set(table.columnNames().includes("stock_code") ? (filters.products ?? []) : []);
  const {from, to} = filters;
  if (countries.size === 0 && products.size === 0 && !from && !to) return table;
  // A plain loop over the columns, not Arquero's row-by-row filter: a filter change filters the Overview's
  // orders (200,000 rows at 10× the data) three times.
  const country = aq.columnValues(table, "country") as ArrayLike<string>;
  const day = aq.columnValues(table, dayColumn) as ArrayLike<string>;
  const product = products.size ? (aq.columnValues(table, "stock_code") as ArrayLike<string>) : null;
  const kept: number[] = [];
  for (let row = 0; row < day.length; row++) {
    if (
      (countries.size === 0 || countries.has(country[row]!)) &&
      (product === null || products.has(product[row]!)) &&
      (!from || day[row]! >= from) &&
      (!to || day[row]! <= to)
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
