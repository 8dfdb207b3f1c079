import {queryRow} from "../db.js";
import {formatCount} from "../run/progress.js";
import type {Stage, StageContext} from "../run/stage.js";
import {martsSql} from "../transform/marts-sql.js";

/** Marts: orders, daily/weekly/monthly sales by country, country, product and customer summaries. */
export const martsStage: Stage = {
  name: "marts",
  description: "Aggregate sales and returns into orders, period, country, product and customer marts",
  inputs: ["sales", "returns"],
  outputs: ["orders", "daily_sales", "weekly_sales", "monthly_sales", "country_sales", "product_performance", "customer_metrics"],
  code: [import.meta.url, new URL("../transform/marts-sql.ts", import.meta.url).href, new URL("../transform/money.ts", import.meta.url).href],
  run: marts
};

async function marts({connection}: StageContext) {
  await connection.run(martsSql);
  const counts = await queryRow<{sales: number; orders: number; customers: number; products: number}>(
    connection,
    `SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM orders) AS orders,
       (SELECT count(*) FROM customer_metrics) AS customers, (SELECT count(*) FROM product_performance) AS products`
  );
  return {
    rowsIn: counts.sales,
    rowsOut: counts.orders,
    detail: `${formatCount(counts.orders)} orders, ${formatCount(counts.customers)} customers, ${formatCount(counts.products)} products`
  };
}
