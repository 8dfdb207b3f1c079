/**
 * The invoices behind a filter, as SQL for DuckDB-WASM: the `orders` snapshot (one row per invoice,
 * stored by invoice date, read over range requests), or under a product filter the same rows rebuilt from
 * that product's lines in `sales` (the invoice's lines of those products only). Pages never decode the
 * invoices: at 100× the data they are 2 M rows of 437,000 customers. What sums (revenue, orders, units)
 * comes from `daily_sales` on the fast path; what does not — distinct customers, the top customers, the
 * weekday × hour rhythm — is asked of DuckDB-WASM over these rows.
 *
 *   const source = ordersSource({products: filters.products, span: {from, to}});
 *   query(`SELECT count(DISTINCT customer_id) FROM (${source.text}) AS o`, source.params);
 */
import {validDay, type DayRange} from "./product-totals.js";
import {salesWhere} from "./sales-filter.js";
import {addDays, NO_FILTERS} from "./url-state.js";

export interface OrdersSourceOptions {
  /** Products chosen in the filter: the invoices are rebuilt from their lines. Default: none (`orders`). */
  products?: readonly string[];
  /**
   * Only invoices dated within these days (inclusive), spliced in as literals so that DuckDB reads only
   * the blocks that hold them. Default: null, every day.
   */
  span?: DayRange | null;
}

/**
 * A relation with the columns `invoice_no`, `invoice_date`, `customer_id`, `country`, `units`, `revenue` and
 * `net_revenue` (text and `?` parameters; use it as a subquery).
 */
export function ordersSource({products = [], span = null}: OrdersSourceOptions = {}): {text: string; params: unknown[]} {
  const days = span
    ? `invoice_date >= TIMESTAMP '${validDay("span.from", span.from)}' AND invoice_date < TIMESTAMP '${addDays(validDay("span.to", span.to), 1)}'`
    : "TRUE";
  if (products.length === 0) {
    return {text: `SELECT invoice_no, invoice_date, customer_id, country, units, revenue, net_revenue FROM orders WHERE ${days}`, params: []};
  }
  // As the marts build `orders` (loaders/transform/marts-sql.ts), from the chosen products' lines only.
  return {
    text: `SELECT invoice_no, min(invoice_date) AS invoice_date, min(customer_id) AS customer_id, min(country) AS country,
      sum(quantity)::BIGINT AS units, sum(revenue) AS revenue, sum(net_revenue) AS net_revenue
    FROM sales WHERE stock_code IN (${products.map(() => "?").join(", ")}) AND ${days} GROUP BY invoice_no`,
    params: [...products]
  };
}

export interface WeekdayHourOptions {
  /** The money column summed: `revenue` or `net_revenue`. */
  column: "revenue" | "net_revenue";
  countries?: readonly string[];
  products?: readonly string[];
  /** The selection's days (inclusive); null: all. */
  span?: DayRange | null;
}

/**
 * The query for the selection's orders and revenue by weekday (0 = Monday) and hour of the order: columns
 * `weekday`, `hour`, `revenue`, `orders`, one row per weekday and hour with orders, in that order.
 */
export function weekdayHourQuery({column, countries = [], products = [], span = null}: WeekdayHourOptions): {text: string; params: unknown[]} {
  if (column !== "revenue" && column !== "net_revenue") throw new Error(`invalid column; not revenue or net_revenue: ${JSON.stringify(column)}`);
  const source = ordersSource({products, span});
  const where = salesWhere({...NO_FILTERS, countries: [...countries]});
  return {
    text: `SELECT (isodow(invoice_date) - 1)::INTEGER AS weekday, hour(invoice_date)::INTEGER AS hour, sum(${column}) AS revenue, count(*)::INTEGER AS orders
    FROM (${source.text}) AS o WHERE ${where.text} GROUP BY ALL ORDER BY weekday, hour`,
    params: [...source.params, ...where.params]
  };
}
