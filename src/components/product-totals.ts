/**
 * Each product's sums over several date ranges at once, reading as little as it can: the months a range
 * wholly covers come from `monthly_product_sales` (one row per month, country and product), the days of its
 * partial first and last months from the line items (`sales`, stored by invoice date, so DuckDB-WASM
 * fetches only those days' blocks over range requests). The answer equals summing `sales` over each range;
 * the Overview's default view (the year, with the last 6 months against the 6 before) reads the monthly
 * mart and two partial months of lines instead of every line of the year.
 */
import {addDays, addMonths} from "./url-state.js";

/** Inclusive `YYYY-MM-DD` days. */
export interface DayRange {
  from: string;
  to: string;
}

export interface ProductTotalsOptions {
  /** The money column summed into each range's column: `revenue` or `net_revenue`. */
  column: "revenue" | "net_revenue";
  /**
   * The ranges, by output column name (a SQL identifier). `null` sums nothing (the column is 0), e.g. a
   * comparison the data cannot make. Ranges may overlap; each is summed on its own.
   */
  ranges: Record<string, DayRange | null>;
  /**
   * Which range also gives the `returned` column: units later cancelled over units sold. Default: the
   * first range.
   */
  returnsOf?: string;
  /** A condition on `country` and `stock_code` with its `?` parameters (salesWhere without dates). */
  where?: {text: string; params: readonly unknown[]};
  /** The data's first and last day: a month counts as whole when a range covers every day of it in the data. */
  extent: DayRange;
  /** Rows kept, largest first range first (ties by stock code). Default: 10. */
  limit?: number;
}

/** How one range is read: whole months (first-of-month days, inclusive) and the remaining day intervals. */
export interface RangePieces {
  months: DayRange | null;
  days: DayRange[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

const monthStart = (day: string) => `${day.slice(0, 8)}01`;
const nextMonth = (month: string) => addMonths(month, 1); // a first of the month never rolls over
const monthEnd = (month: string) => addDays(nextMonth(month), -1);
const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

/** `value` when it is a real `YYYY-MM-DD` day (so it can be spliced into SQL as a literal); else an error naming it. */
export function validDay(name: string, value: unknown): string {
  if (typeof value !== "string" || !DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new Error(`invalid ${name}; not a YYYY-MM-DD day: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Splits a range, clamped to the data's extent, into whole months and day intervals. Only a range's first
 * and last month can be partial, so the whole months are one contiguous run. Null when the range and the
 * data do not meet.
 */
export function rangePieces(range: DayRange, extent: DayRange): RangePieces | null {
  const from = later(range.from, extent.from);
  const to = earlier(range.to, extent.to);
  if (from > to) return null;
  const pieces: RangePieces = {months: null, days: []};
  for (let month = monthStart(from); month <= to; month = nextMonth(month)) {
    const [first, last] = [later(month, extent.from), earlier(monthEnd(month), extent.to)];
    if (from <= first && last <= to) pieces.months = {from: pieces.months?.from ?? month, to: month};
    else pieces.days.push({from: later(month, from), to: earlier(monthEnd(month), to)});
  }
  return pieces;
}

/** Disjoint day intervals covering every interval given (so no day is read twice). */
function mergeIntervals(intervals: DayRange[]): DayRange[] {
  const merged: DayRange[] = [];
  for (const interval of [...intervals].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
    const last = merged.at(-1);
    if (last && interval.from <= addDays(last.to, 1)) last.to = later(last.to, interval.to);
    else merged.push({...interval});
  }
  return merged;
}

/**
 * The query (text and `?` parameters) for each product's sums over the ranges: columns `stock_code`, one
 * per range, `returned` and `total` (the first range's sum over every product, before the limit). Products
 * with nothing in any range are left out. Names are not joined in: product_performance is a Parquet
 * snapshot, and inserting it would load DuckDB-WASM's Parquet decoder (a 4.7 MB module) for one column the
 * fast path reads in a moment.
 */
export function productTotalsQuery(options: ProductTotalsOptions): {text: string; params: unknown[]} {
  const {column, ranges, where = {text: "TRUE", params: []}, limit = 10} = options;
  if (column !== "revenue" && column !== "net_revenue") throw new Error(`invalid column; not revenue or net_revenue: ${JSON.stringify(column)}`);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`invalid limit; not a positive integer: ${limit}`);
  const names = Object.keys(ranges);
  if (names.length === 0) throw new Error("invalid ranges; none given");
  for (const name of names) if (!IDENTIFIER.test(name)) throw new Error(`invalid range name; not a lower-case SQL identifier: ${JSON.stringify(name)}`);
  const returnsOf = options.returnsOf ?? names[0]!;
  if (!names.includes(returnsOf)) throw new Error(`invalid returnsOf; not one of the ranges (${names.join(", ")}): ${JSON.stringify(returnsOf)}`);
  const extent = {from: validDay("extent.from", options.extent.from), to: validDay("extent.to", options.extent.to)};
  const pieces = new Map<string, RangePieces | null>();
  for (const name of names) {
    const range = ranges[name];
    pieces.set(name, range ? rangePieces({from: validDay(`${name}.from`, range.from), to: validDay(`${name}.to`, range.to)}, extent) : null);
  }

  // Days are spliced as literals (validated above), so DuckDB's zone maps skip the blocks outside them; the
  // filter's values stay bound, and its `?`s occur only in the parts read, in order.
  const params: unknown[] = [];
  const between = (expression: string, range: DayRange) => `${expression} BETWEEN DATE '${range.from}' AND DATE '${range.to}'`;
  const read = (grain: "month" | "day", range: DayRange) => {
    params.push(...where.params);
    return grain === "month"
      ? `SELECT 'month' AS grain, month AS day, stock_code, ${column} AS value, units, returned_units
      FROM monthly_product_sales WHERE (${where.text}) AND ${between("month", range)}`
      : `SELECT 'day' AS grain, invoice_date::DATE AS day, stock_code, ${column} AS value, quantity AS units, returned_quantity AS returned_units
      FROM sales WHERE (${where.text}) AND invoice_date >= TIMESTAMP '${range.from}' AND invoice_date < TIMESTAMP '${addDays(range.to, 1)}'`;
  };

  // What is read: the whole months once, and the lines of every day interval once (merged across the ranges).
  const wholeMonths = [...pieces.values()].flatMap((piece) => (piece?.months ? [piece.months] : []));
  const parts: string[] = [];
  if (wholeMonths.length)
    parts.push(
      read(
        "month",
        wholeMonths.reduce((span, months) => ({from: earlier(span.from, months.from), to: later(span.to, months.to)}))
      )
    );
  for (const interval of mergeIntervals([...pieces.values()].flatMap((piece) => piece?.days ?? []))) parts.push(read("day", interval));
  const source = parts.length
    ? parts.join("\n      UNION ALL ")
    : "SELECT NULL::VARCHAR AS grain, NULL::DATE AS day, NULL::VARCHAR AS stock_code, 0::DOUBLE AS value, 0 AS units, 0 AS returned_units WHERE FALSE";

  // Which of those rows each range counts.
  const counts = (name: string) => {
    const piece = pieces.get(name);
    const conditions = [
      ...(piece?.months ? [`(t.grain = 'month' AND ${between("t.day", piece.months)})`] : []),
      ...(piece?.days ?? []).map((interval) => `(t.grain = 'day' AND ${between("t.day", interval)})`)
    ];
    return conditions.length ? conditions.join(" OR ") : "FALSE";
  };
  const sums = names.map((name) => `coalesce(sum(t.value) FILTER (WHERE ${counts(name)}), 0) AS "${name}"`);
  const returned = `(sum(t.returned_units) FILTER (WHERE ${counts(returnsOf)}))::DOUBLE / (sum(t.units) FILTER (WHERE ${counts(returnsOf)}))::DOUBLE AS returned`;
  const text = `SELECT *, sum("${names[0]}") OVER () AS total FROM (
    SELECT t.stock_code, ${sums.join(", ")}, ${returned}
    FROM (${source}) AS t
    GROUP BY ALL
  ) WHERE ${names.map((name) => `"${name}" <> 0`).join(" OR ")} ORDER BY "${names[0]}" DESC, stock_code LIMIT ${limit}`;
  return {text, params};
}
