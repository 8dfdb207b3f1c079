import {formatCount} from "../run/format.js";
import type {Stage, StageContext} from "../run/stage.js";
import {literal, queryRow} from "../db.js";
import {ALL_CUSTOMERS, NO_SEGMENT} from "../../src/shared/values.js";

/** Products kept per list and scope: the Recommendations page shows 15 overall and 5 per segment. */
export const RECOMMENDED_PRODUCTS_KEPT = 15;

/**
 * What the recommender says to promote: for each list (buy_again, discover) and scope (every customer, and
 * each customer segment), the products most customers have in their top 10, with the share of the scope's
 * customers. The Recommendations page reads this small table instead of every customer's lists (8.6 M rows
 * at 100× the data).
 */
export const recommendedProductsStage: Stage = {
  name: "recommended_products",
  description: "Count the customers each product is recommended to, overall and per customer segment",
  inputs: ["recommendations", "customer_segments"],
  outputs: ["recommended_products"],
  module: "loaders/stages/recommended-products.ts",
  run: summarise
};

/** The SQL, over `recommendations` and `customer_segments` (exported for tests). */
export const recommendedProductsSql = `
  CREATE OR REPLACE TABLE recommended_products AS
  WITH listed AS (
    SELECT r.mode, coalesce(s.segment, ${literal(NO_SEGMENT)}) AS segment, r.customer_id, r.stock_code, r.description
    FROM recommendations AS r LEFT JOIN customer_segments AS s USING (customer_id)
    WHERE r.rank <= 10
  ), counted AS (
    -- A product is in a customer's list once, so its rows count its customers; every customer, and per segment.
    SELECT mode, coalesce(segment, ${literal(ALL_CUSTOMERS)}) AS segment, stock_code, coalesce(min(description), stock_code) AS description,
      count(*)::INTEGER AS customers
    FROM listed GROUP BY GROUPING SETS ((mode, stock_code), (mode, segment, stock_code))
  ), scopes AS (
    SELECT mode, coalesce(segment, ${literal(ALL_CUSTOMERS)}) AS segment, count(DISTINCT customer_id)::INTEGER AS listed_customers
    FROM listed GROUP BY GROUPING SETS ((mode), (mode, segment))
  )
  SELECT mode, segment, rank, stock_code, description, customers, customers / listed_customers AS share, listed_customers FROM (
    SELECT c.*, s.listed_customers, row_number() OVER (PARTITION BY c.mode, c.segment ORDER BY c.customers DESC, c.stock_code)::INTEGER AS rank
    FROM counted AS c JOIN scopes AS s USING (mode, segment)
  ) WHERE rank <= ${RECOMMENDED_PRODUCTS_KEPT}
  ORDER BY mode, segment, rank`;

async function summarise({connection}: StageContext) {
  await connection.run(recommendedProductsSql);
  const {rows} = await queryRow<{rows: number}>(connection, "SELECT count(*)::INTEGER AS rows FROM recommended_products");
  return {rowsOut: rows, detail: `${formatCount(rows)} products to promote`};
}
