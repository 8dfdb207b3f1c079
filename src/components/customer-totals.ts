/**
 * The Overview's customer figures, asked of DuckDB-WASM over the invoices of a filter (ordersSource):
 * distinct customers are not additive, so unlike revenue, orders and units (summed from `daily_sales` on the
 * fast path) they cannot come from a pre-aggregate. Two queries, each reading only the days of its ranges:
 *
 * - customerCountsQuery: distinct identified customers in the selection, in the comparison's window and
 *   the period before it, and in each sparkline step of the selection (see kpis.ts, granularityOf);
 * - customerLeadersQuery: the selection's top customers by revenue, each with its value, its share of
 *   every identified customer's total, the comparison's values, its country (of its last invoice) and the
 *   share of its gross revenue cancelled later.
 *
 *   const counts = customerCounts(await query(...customerCountsQuery({ranges, countries, step})));
 *   const board = customerLeaders(await query(...customerLeadersQuery({column, ranges, countries})), ranges);
 */
import {leaders, type Leader} from "./leaderboard.js";
import type {Step} from "./kpis.js";
import {ordersSource} from "./orders-source.js";
import {validDay, type DayRange} from "./product-totals.js";
import {salesWhere} from "./sales-filter.js";
import {NO_FILTERS} from "./url-state.js";

export interface CustomerRanges {
  /** The selection. */
  value: DayRange;
  /** The comparison's current window, when it is not the selection (for "All"). Default: none. */
  window?: DayRange | null;
  /** The period compared with. Default: none. */
  previous?: DayRange | null;
}

export interface CustomerFilter {
  ranges: CustomerRanges;
  /** Countries chosen; default: all. */
  countries?: readonly string[];
  /** Products chosen: the invoices are rebuilt from their lines (ordersSource). Default: none. */
  products?: readonly string[];
}

export interface CustomerCountsOptions extends CustomerFilter {
  /** The sparkline step over the selection. */
  step: Step;
}

export interface CustomerCounts {
  value: number;
  /** null when the ranges have no window. */
  window: number | null;
  /** null when the ranges have no previous period. */
  previous: number | null;
  /** Distinct customers per step of the selection, keyed as kpis.ts keys its steps (`YYYY-MM-DD` or `YYYY-MM`). */
  series: Map<string, number>;
}

const STEP_KEYS: Record<Step, string> = {
  day: "strftime(day, '%Y-%m-%d')",
  week: "strftime(date_trunc('week', day), '%Y-%m-%d')",
  month: "strftime(day, '%Y-%m')"
};

/** The query for distinct customers: one row with step NULL (`value`, `window_value`, `previous`), then one per step. */
export function customerCountsQuery(options: CustomerCountsOptions): {text: string; params: unknown[]} {
  const stepKey = STEP_KEYS[options.step];
  if (!stepKey) throw new Error(`invalid step; not day, week or month: ${JSON.stringify(options.step)}`);
  const {ranges, source} = invoicesOf(options);
  const count = (range: DayRange | null) => (range ? `count(DISTINCT customer_id) FILTER (WHERE ${between(range)})::INTEGER` : "NULL::INTEGER");
  const text = `WITH o AS (
    SELECT invoice_date::DATE AS day, customer_id FROM (${source.text}) AS s WHERE customer_id IS NOT NULL AND ${source.where}
  )
  SELECT NULL::VARCHAR AS step, ${count(ranges.value)} AS value, ${count(ranges.window)} AS window_value, ${count(ranges.previous)} AS previous FROM o
  UNION ALL
  SELECT ${stepKey} AS step, count(DISTINCT customer_id)::INTEGER, NULL, NULL FROM o WHERE ${between(ranges.value)} GROUP BY ALL
  ORDER BY step NULLS FIRST`;
  return {text, params: source.params};
}

/** The counts from customerCountsQuery's answer (an Arrow table, or its rows as objects). */
export function customerCounts(answer: Rows): CustomerCounts {
  const rows = rowsOf(answer);
  const totals = rows.find((row) => row.step === null);
  const series = new Map<string, number>();
  for (const row of rows) if (row.step !== null) series.set(String(row.step), Number(row.value));
  const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {value: Number(totals?.value ?? 0), window: numberOrNull(totals?.window_value), previous: numberOrNull(totals?.previous), series};
}

export interface CustomerLeadersOptions extends CustomerFilter {
  /** The revenue column ranked by: `net_revenue` or `revenue`. */
  column: "net_revenue" | "revenue";
  /** How many customers. Default: 10. */
  limit?: number;
}

export interface CustomerLeaders {
  leaders: Leader[];
  /** The country of each customer shown, from its last invoice in the selection. */
  country: Map<string, string>;
  /** 1 − net / gross revenue of each customer shown, over the selection (0 when it has no gross revenue). */
  cancelledShare: Map<string, number>;
}

/**
 * The query for the top customers: columns `customer` (the id as text), `value`, `window_value`,
 * `previous`, `gross`, `net`, `country` and `total` (the selection's sum over every identified customer),
 * largest value first, ties by id as text (as leaders ranks them).
 */
export function customerLeadersQuery(options: CustomerLeadersOptions): {text: string; params: unknown[]} {
  const {column, limit = 10} = options;
  if (column !== "net_revenue" && column !== "revenue") throw new Error(`invalid column; not net_revenue or revenue: ${JSON.stringify(column)}`);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`invalid limit; not a positive integer: ${limit}`);
  const {ranges, source} = invoicesOf(options);
  const inValue = between(ranges.value, "invoice_date::DATE");
  const sumIn = (range: DayRange | null) => (range ? `coalesce(sum(${column}) FILTER (WHERE ${between(range, "invoice_date::DATE")}), 0)` : "0");
  const text = `SELECT customer, value, window_value, previous, gross, net, country, sum(value) OVER () AS total FROM (
    SELECT customer_id::VARCHAR AS customer, sum(${column}) FILTER (WHERE ${inValue}) AS value,
      ${sumIn(ranges.window)} AS window_value, ${sumIn(ranges.previous)} AS previous,
      sum(revenue) FILTER (WHERE ${inValue}) AS gross, sum(net_revenue) FILTER (WHERE ${inValue}) AS net,
      arg_max(country, (invoice_date, invoice_no)) FILTER (WHERE ${inValue}) AS country
    FROM (${source.text}) AS s WHERE customer_id IS NOT NULL AND ${source.where}
    GROUP BY customer_id
  ) WHERE value IS NOT NULL ORDER BY value DESC, customer LIMIT ${limit}`;
  return {text, params: source.params};
}

/** The leaderboard rows from customerLeadersQuery's answer; `ranges` says which comparisons there are. */
export function customerLeaders(answer: Rows, ranges: Pick<CustomerRanges, "window" | "previous">): CustomerLeaders {
  const rows = rowsOf(answer);
  const byCustomer = (value: (row: Row) => unknown) => new Map(rows.map((row) => [String(row.customer), value(row)]));
  const money = (value: (row: Row) => unknown) => byCustomer((row) => Number(value(row) ?? 0)) as Map<string, number>;
  const board = leaders(
    money((row) => row.value),
    {
      limit: rows.length,
      total: rows.length ? Number(rows[0]!.total) : 0,
      window: ranges.window ? money((row) => row.window_value) : null,
      previous: ranges.previous ? money((row) => row.previous) : null
    }
  );
  return {
    leaders: board,
    country: byCustomer((row) => row.country) as Map<string, string>,
    cancelledShare: money((row) => (Number(row.gross) ? 1 - Number(row.net) / Number(row.gross) : 0))
  };
}

type Row = Record<string, unknown>;
/** An Arrow table (DuckDB-WASM's answer) or its rows as objects (tests, DuckDB under Node). */
type Rows = readonly Row[] | {toArray(): {toJSON(): Row}[]};

function rowsOf(answer: Rows): Row[] {
  return Array.isArray(answer) ? (answer as Row[]) : (answer as {toArray(): {toJSON(): Row}[]}).toArray().map((row) => row.toJSON());
}

const between = (range: DayRange, day = "day") => `${day} BETWEEN DATE '${range.from}' AND DATE '${range.to}'`;

/** The validated ranges and the invoices they read: the days from the earliest range's start to the latest's end. */
function invoicesOf({ranges, countries = [], products = []}: CustomerFilter) {
  const valid = (name: string, range: DayRange | null | undefined): DayRange | null =>
    range ? {from: validDay(`${name}.from`, range.from), to: validDay(`${name}.to`, range.to)} : null;
  const checked = {value: valid("value", ranges.value)!, window: valid("window", ranges.window), previous: valid("previous", ranges.previous)};
  if (!checked.value) throw new Error("invalid ranges; no value range given");
  const all = [checked.value, checked.window, checked.previous].filter((range): range is DayRange => range !== null);
  const span = {
    from: all.map((range) => range.from).sort()[0]!,
    to: all
      .map((range) => range.to)
      .sort()
      .at(-1)!
  };
  const invoices = ordersSource({products, span});
  const where = salesWhere({...NO_FILTERS, countries: [...countries]});
  return {ranges: checked, source: {text: invoices.text, where: where.text, params: [...invoices.params, ...where.params]}};
}
