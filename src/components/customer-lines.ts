/**
 * One customer's line items, asked of DuckDB-WASM so that it reads only the blocks of their days. The
 * `sales` snapshot is stored by invoice date, so `WHERE customer_id = ?` alone reads every block of the
 * table (452 MB at 100× the data). The customer's orders, already on the page, give the days they bought on;
 * spliced in as date ranges, they let DuckDB skip every block outside them.
 *
 *   const days = orderDays(orders.map((d) => d.invoice_date));
 *   const lines = await query(...Object.values(customerLinesQuery(id, days)));
 *   if (!linesComplete(lines, metrics.units)) ... // ask again without the days
 */
import {isoDay} from "./format.js";
import {validDay, type DayRange} from "./product-totals.js";
import {addDays} from "./url-state.js";

/** The columns of a customer's line items, in the order the page shows them. */
const CUSTOMER_LINE_COLUMNS = [
  "invoice_date",
  "invoice_no",
  "stock_code",
  "description",
  "quantity",
  "unit_price",
  "revenue",
  "returned_quantity",
  "net_revenue"
] as const;

export interface OrderDaysOptions {
  /**
   * At most this many ranges: when the days make more, the shortest gaps between them are closed (the
   * ranges then also cover days without orders, which costs reading but never loses a line). Default: 32.
   */
  maxRanges?: number;
}

/**
 * The UTC days of the given order times as inclusive ranges, consecutive days merged, in order. Empty for no
 * orders.
 */
export function orderDays(times: readonly (Date | number)[], {maxRanges = 32}: OrderDaysOptions = {}): DayRange[] {
  if (!Number.isInteger(maxRanges) || maxRanges < 1) throw new Error(`invalid maxRanges; not a positive integer: ${maxRanges}`);
  const days = new Set<number>();
  for (const time of times) {
    const ms = time instanceof Date ? time.getTime() : time;
    if (!Number.isFinite(ms)) throw new Error(`invalid order time; not a date: ${String(time)}`);
    days.add(Math.floor(ms / DAY_MS));
  }
  let ranges: [number, number][] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && day === last[1] + 1) last[1] = day;
    else ranges.push([day, day]);
  }
  if (ranges.length > maxRanges) ranges = closeShortestGaps(ranges, ranges.length - maxRanges);
  return ranges.map(([from, to]) => ({from: isoDay(new Date(from * DAY_MS)), to: isoDay(new Date(to * DAY_MS))}));
}

const DAY_MS = 86_400_000;

/** Merges `count` pairs of neighbouring ranges across the shortest gaps; ties close the earlier gap first. */
function closeShortestGaps(ranges: [number, number][], count: number): [number, number][] {
  const gaps = ranges.slice(1).map((range, i) => ({after: i, length: range[0] - ranges[i]![1]}));
  gaps.sort((a, b) => a.length - b.length || a.after - b.after);
  const closed = new Set(gaps.slice(0, count).map((gap) => gap.after));
  const merged: [number, number][] = [];
  ranges.forEach((range, i) => {
    if (closed.has(i - 1)) merged[merged.length - 1]![1] = range[1];
    else merged.push([...range]);
  });
  return merged;
}

/** The days from a first to a last purchase, inclusive (dates in UTC fields, the snapshots' convention). */
export function daySpan(first: Date, last: Date): DayRange {
  return {from: isoDay(first), to: isoDay(last)};
}

/**
 * The query for a customer's orders (one row per invoice, by date and invoice), within the given days
 * (inclusive; `null`: every day, the whole `orders` snapshot is read).
 */
export function customerOrdersQuery(id: number, span: DayRange | null): {text: string; params: unknown[]} {
  validId(id);
  return {
    text: `SELECT invoice_no, invoice_date, lines::INTEGER AS lines, units::INTEGER AS units, revenue, returned_units::INTEGER AS returned_units, net_revenue
    FROM orders WHERE customer_id = ? AND ${within(span, "span")} ORDER BY invoice_date, invoice_no`,
    params: [id]
  };
}

/**
 * The query for a customer's line items (columns {@link CUSTOMER_LINE_COLUMNS}, by date and source line),
 * within the given days (inclusive; `null`: every day, the whole table is read).
 */
export function customerLinesQuery(id: number, days: readonly DayRange[] | null): {text: string; params: unknown[]} {
  validId(id);
  const select = `SELECT ${CUSTOMER_LINE_COLUMNS.join(", ")}, source_file, source_line FROM sales WHERE customer_id = ?`;
  // One scan per range rather than one scan with an OR of them: DuckDB-WASM 1.32 skips blocks by a range
  // but not by an OR of ranges (a customer of 7 days read 38.7 of the 101 MB at 10× with the OR).
  const parts = days === null ? [select] : days.length === 0 ? [`${select} AND FALSE`] : days.map((day, i) => `${select} AND ${within(day, `days[${i}]`)}`);
  return {
    text: `SELECT ${CUSTOMER_LINE_COLUMNS.join(", ")} FROM (${parts.join("\n  UNION ALL ")}) ORDER BY invoice_date, source_file, source_line`,
    params: parts.map(() => id)
  };
}

function validId(id: number): void {
  if (!Number.isSafeInteger(id)) throw new Error(`invalid customer id; not an integer: ${id}`);
}

/** A condition on `invoice_date` for one range of days (inclusive); `null`: TRUE. `name` names it in errors. */
function within(range: DayRange | null, name: string): string {
  if (range === null) return "TRUE";
  const to = addDays(validDay(`${name}.to`, range.to), 1);
  return `invoice_date >= TIMESTAMP '${validDay(`${name}.from`, range.from)}' AND invoice_date < TIMESTAMP '${to}'`;
}

/**
 * Whether the lines found are all of the customer's: their units add up to the customer's units sold
 * (`customer_metrics.units`). Sold quantities are positive, so a subset of the lines with the same sum is
 * every line. A table of any other shape is not complete.
 */
export function linesComplete(lines: {numRows: number; getChild(name: string): {get(index: number): unknown} | null}, units: number): boolean {
  const quantity = lines.getChild("quantity");
  if (!quantity) return false;
  let sum = 0;
  for (let i = 0; i < lines.numRows; i++) sum += Number(quantity.get(i));
  return sum === units;
}
