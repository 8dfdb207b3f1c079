import {sumMoney} from "./money.js";

/**
 * The product mart, from `sales`: each product's sold lines summed by month and country (each line in the
 * month of its own invoice date). Every measure is additive, so a date range's sums are the whole months'
 * rows here plus its partial months' lines from `sales`, which is sorted by date (see the site's
 * product-totals.ts). Sorted by month, so a range reads only its months' blocks.
 */
export const productMartsSql = `
  CREATE OR REPLACE TABLE monthly_product_sales AS
  SELECT date_trunc('month', invoice_date)::DATE AS month, country, stock_code, count(*) AS lines, sum(quantity)::BIGINT AS units,
    sum(returned_quantity)::BIGINT AS returned_units, ${sumMoney("revenue")} AS revenue, ${sumMoney("net_revenue")} AS net_revenue
  FROM sales GROUP BY ALL
  ORDER BY month, country, stock_code;`;
