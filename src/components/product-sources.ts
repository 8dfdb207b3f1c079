/**
 * `daily_sales` for a product filter. The mart has no product, so when products are chosen the same table
 * is rebuilt from their line items (`sales` in DuckDB-WASM), summed there: one row per day and country,
 * with the snapshot's column names, so every fast-path function works on it unchanged. What needs the
 * invoices themselves (distinct customers, the weekday × hour rhythm) reads them through ordersSource.
 */
import * as aq from "./arquero.js";
import {query} from "./db.js";
import {arrowToObjects} from "./inputs.js";

/** `last`: the data's last day (`YYYY-MM-DD`), flagged partial as in `daily_sales`. */
export async function productDaily(products: readonly string[], last: string): Promise<aq.ColumnTable> {
  const placeholders = products.map(() => "?").join(", ");
  const rows = arrowToObjects(
    await query(
      // An invoice counts on the day of its lines, in its country, as in daily_sales.
      `SELECT strftime(invoice_date::DATE, '%Y-%m-%d') AS day, country, count(DISTINCT invoice_no)::INTEGER AS orders,
         sum(quantity)::DOUBLE AS units, sum(revenue) AS revenue, sum(net_revenue) AS net_revenue
       FROM sales WHERE stock_code IN (${placeholders}) GROUP BY ALL ORDER BY day, country`,
      [...products]
    )
  );
  // No lines (a product not sold in the data): the same columns, no rows.
  const table = rows.length ? aq.from(rows) : aq.table({day: [], country: [], orders: [], units: [], revenue: [], net_revenue: []});
  return (
    table
      // The snapshot dates cancellations on the day they happened; from line items they are dated at the sale.
      .derive({returns_value: (d: {revenue: number; net_revenue: number}) => d.revenue - d.net_revenue})
      .derive({
        date: aq.escape((d: {day: string}) => new Date(`${d.day}T00:00:00Z`)),
        is_partial: aq.escape((d: {day: string}) => d.day === last)
      })
  );
}
