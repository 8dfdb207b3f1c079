/**
 * The Overview's `orders` and `daily_sales` for a product filter. Those marts have no product, so when
 * products are chosen the same two tables are rebuilt from the line items (`sales` in DuckDB-WASM): one row
 * per invoice (its products' lines only) and one per day and country, with the snapshots' column names, so
 * every fast-path function works on them unchanged.
 */
import * as aq from "./arquero.js";
import {query} from "./db.js";
import {arrowToObjects} from "./inputs.js";
import {withDay} from "./sales-filter.js";

export interface SalesSources {
  orders: aq.ColumnTable;
  daily: aq.ColumnTable;
}

/** `last`: the data's last day (`YYYY-MM-DD`), flagged partial as in `daily_sales`. */
export async function productSources(products: readonly string[], last: string): Promise<SalesSources> {
  const placeholders = products.map(() => "?").join(", ");
  const rows = arrowToObjects(
    await query(
      `SELECT invoice_no, min(invoice_date) AS invoice_date, any_value(customer_id) AS customer_id, any_value(country) AS country,
       sum(quantity)::DOUBLE AS units, sum(revenue) AS revenue, sum(net_revenue) AS net_revenue
     FROM sales WHERE stock_code IN (${placeholders}) GROUP BY invoice_no ORDER BY invoice_no`,
      [...products]
    )
  );
  const orders = withDay(aq.from(rows), "invoice_date");
  const daily = orders
    .groupby("day", "country")
    .rollup({revenue: aq.op.sum("revenue"), net_revenue: aq.op.sum("net_revenue"), orders: aq.op.count()})
    // The snapshot dates cancellations on the day they happened; from line items they are dated at the sale.
    .derive({returns_value: (d: {revenue: number; net_revenue: number}) => d.revenue - d.net_revenue})
    .derive({
      date: aq.escape((d: {day: string}) => new Date(`${d.day}T00:00:00Z`)),
      is_partial: aq.escape((d: {day: string}) => d.day === last)
    });
  return {orders, daily};
}
