import type {Stage, StageContext} from "../run/stage.js";
import type {RecommendInput, RecommendResult} from "../../models/recommend/fit.js";
import {ints, readColumns, strings, writeColumns} from "../run/table-io.js";
import {fitWindowOf, writeMetrics} from "./model-io.js";
import {projectUrl} from "../paths.js";

/** Recommendations: implicit ALS blended with own history and recent popularity; top 10 per customer and mode. */
export const recommendationsStage: Stage = {
  name: "recommendations",
  description: "Recommend products per customer (ALS + own history + what sells now), evaluated on the last 30 days",
  inputs: ["sales", "product_performance"],
  outputs: ["recommendations", "recommendations_metrics"],
  module: "loaders/stages/recommendations.ts",
  options: ({seed}) => ({seed}),
  run: recommendations
};

async function recommendations({connection, options, runModel}: StageContext) {
  // Refitted on all the data every run (not yet split into fit and score).
  const window = await fitWindowOf(connection, options.refit);
  // Purchases that stuck (not wholly cancelled later), one per customer, product and day.
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE rec_bought AS
    SELECT customer_id, stock_code, CAST(invoice_date::DATE - DATE '1970-01-01' AS INTEGER) AS day
    FROM sales WHERE customer_id IS NOT NULL AND net_quantity > 0 GROUP BY ALL;
    CREATE OR REPLACE TEMP TABLE rec_customers AS
    SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) - 1 AS INTEGER) AS u FROM (SELECT DISTINCT customer_id FROM rec_bought);
    CREATE OR REPLACE TEMP TABLE rec_products AS
    SELECT p.stock_code, p.i, pp.description FROM (
      SELECT stock_code, CAST(row_number() OVER (ORDER BY stock_code) - 1 AS INTEGER) AS i FROM (SELECT DISTINCT stock_code FROM rec_bought)
    ) AS p LEFT JOIN product_performance AS pp USING (stock_code);`);
  const events = await readColumns(
    connection,
    `SELECT u, i, day FROM rec_bought JOIN rec_customers USING (customer_id) JOIN rec_products USING (stock_code) ORDER BY u, i, day`
  );
  const customers = await readColumns(connection, `SELECT customer_id FROM rec_customers ORDER BY u`);
  const products = await readColumns(connection, `SELECT stock_code, description FROM rec_products ORDER BY i`);
  const customerIds = ints(customers, "customer_id");
  const input: RecommendInput = {
    users: customerIds.length,
    items: strings(products, "stock_code").length,
    user: ints(events, "u"),
    item: ints(events, "i"),
    day: ints(events, "day"),
    customerIds,
    stockCodes: strings(products, "stock_code") as string[],
    descriptions: strings(products, "description")
  };
  const result = await runModel<RecommendResult>(projectUrl("models/recommend/fit.ts"), "recommend", input, {
    signals: {als: {seed: options.seed}}
  });
  const {lists} = result;
  await writeColumns(connection, "rec_lists", [
    ["u", "INTEGER", lists.user],
    ["mode", "INTEGER", lists.mode],
    ["rank", "INTEGER", lists.rank],
    ["i", "INTEGER", lists.item],
    ["score", "DOUBLE", lists.score],
    ["reason", "INTEGER", lists.reason],
    ["times", "INTEGER", lists.times],
    ["last_day", "INTEGER", lists.lastDay],
    ["related", "INTEGER", lists.related],
    ["common", "INTEGER", lists.common],
    ["recent_buyers", "INTEGER", lists.recentBuyers]
  ]);
  // Reasons in words (REASONS in models/recommend/fit.ts): 0 bought before, 1 often bought with, 2 similar customers, 3 popular now.
  await connection.run(`
    CREATE OR REPLACE TABLE recommendations AS
    SELECT c.customer_id, CASE r.mode WHEN 0 THEN 'buy_again' ELSE 'discover' END AS mode, r.rank, p.stock_code, p.description, r.score,
      r.reason = 0 AS bought_before,
      CASE r.reason
        WHEN 0 THEN 'bought ' || CASE WHEN r.times = 1 THEN 'once' ELSE r.times || ' times' END || ', last on ' || strftime(DATE '1970-01-01' + r.last_day, '%Y-%m-%d')
        WHEN 1 THEN 'often bought with ' || coalesce(q.description, q.stock_code) || ': ' || r.common || ' customers bought both'
        WHEN 2 THEN 'liked by customers with similar purchases'
        ELSE 'popular now: bought by ' || r.recent_buyers || ' customers in the last ${lists.popularityDays} days'
      END AS reason,
      q.stock_code AS related_stock_code
    FROM rec_lists AS r JOIN rec_customers AS c USING (u) JOIN rec_products AS p USING (i) LEFT JOIN rec_products AS q ON q.i = r.related
    ORDER BY c.customer_id, mode, r.rank;
    DROP TABLE rec_lists; DROP TABLE rec_bought; DROP TABLE rec_customers; DROP TABLE rec_products;`);
  await writeMetrics(connection, "recommendations_metrics", result.metrics, {fittedThrough: window?.lastDay ?? null, scoredAsOf: window?.lastDay ?? null});
  const precision = (method: string) => result.metrics.find((row) => row.method === method && row.metric.startsWith("precision"))?.value?.toFixed(3);
  return {
    rowsIn: input.day.length,
    rowsOut: lists.user.length,
    detail:
      precision("blend:buy_again") === undefined
        ? `${customerIds.length} customers; ${result.metrics[0]?.details ?? "not evaluated"}`
        : `${customerIds.length} customers; precision@10 buy again ${precision("blend:buy_again")}, discover ${precision("blend:discover")}`
  };
}
