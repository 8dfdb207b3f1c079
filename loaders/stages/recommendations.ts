import type {Stage, StageContext} from "../run/stage.js";
import type {RecommendArtefact, RecommendData, RecommendationLists} from "../../models/recommend/index.js";
import type {Fitted} from "../../models/dialect.js";
import {ints, readColumns, strings, writeColumns} from "../run/table-io.js";
import {fitNote, fitWindowOf, writeMetrics} from "./model-io.js";
import {projectUrl} from "../paths.js";
import {productNamesSql} from "../transform/product-names-sql.js";

/** Recommendations: implicit ALS blended with own history and recent popularity; top 10 per customer and mode. */
export const recommendationsStage: Stage = {
  name: "recommendations",
  description: "Recommend products per customer (ALS + own history + what sells now), evaluated on the last 30 days of the fit",
  inputs: ["sales"],
  outputs: ["recommendations", "recommendations_metrics"],
  module: "loaders/stages/recommendations.ts",
  refit: "period",
  options: ({seed}) => ({seed}),
  run: recommendations
};

async function recommendations({connection, options, runModel, fitted}: StageContext) {
  // Fitted on the purchases through the end of the last complete refit period; scored on all of today's.
  const window = await fitWindowOf(connection, options.refit);
  // One purchase per customer, product and day. Scoring takes those that stuck (not wholly cancelled later); the
  // fit takes every purchase in its window, because whether one is cancelled later depends on days after it.
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE rec_bought AS
    SELECT customer_id, stock_code, CAST(invoice_date::DATE - DATE '1970-01-01' AS INTEGER) AS day, bool_or(net_quantity > 0) AS stuck
    FROM sales WHERE customer_id IS NOT NULL GROUP BY ALL;`);
  const model = projectUrl("models/recommend/index.ts");
  const through = window ? `day <= CAST(DATE '${window.fittedThrough}' - DATE '1970-01-01' AS INTEGER)` : "true";
  const fitData = await purchases(connection, through);
  const {artefact: fit, reused} = await fitted("recommendations", {data: fitData, options: {seed: options.seed}}, window?.fittedThrough ?? "", () =>
    runModel<Fitted<RecommendArtefact>>(model, "fit", fitData, {seed: options.seed})
  );
  // Today's indexes (rec_customers, rec_products) stay behind for turning the lists into text.
  const today = await purchases(connection, "stuck");
  const lists = await runModel<RecommendationLists>(model, "score", fit.artefact, today);
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
    ["recent_buyers", "INTEGER", lists.recentBuyers],
    ["new_customer", "INTEGER", lists.newCustomer]
  ]);
  const newCustomer = window ? ` (new customer since the fit on data through ${window.fittedThrough})` : "";
  // Reasons in words (REASONS in models/recommend/fit.ts): 0 bought before, 1 often bought with, 2 similar customers, 3 popular now.
  await connection.run(`
    CREATE OR REPLACE TABLE recommendations AS
    WITH names AS MATERIALIZED ${productNamesSql()}
    SELECT c.customer_id, CASE r.mode WHEN 0 THEN 'buy_again' ELSE 'discover' END AS mode, r.rank, p.stock_code, pn.description, r.score,
      r.reason = 0 AS bought_before,
      CASE r.reason
        WHEN 0 THEN 'bought ' || CASE WHEN r.times = 1 THEN 'once' ELSE r.times || ' times' END || ', last on ' || strftime(DATE '1970-01-01' + r.last_day, '%Y-%m-%d')
        WHEN 1 THEN 'often bought with ' || coalesce(qn.description, q.stock_code) || ': ' || r.common || ' customers bought both'
        WHEN 2 THEN 'liked by customers with similar purchases'
        ELSE 'popular now: bought by ' || r.recent_buyers || ' customers in the last ${lists.popularityDays} days'
      END || CASE WHEN r.new_customer = 1 THEN '${newCustomer}' ELSE '' END AS reason,
      q.stock_code AS related_stock_code
    FROM rec_lists AS r JOIN rec_customers AS c USING (u) JOIN rec_products AS p USING (i) LEFT JOIN rec_products AS q ON q.i = r.related
      LEFT JOIN names AS pn ON pn.stock_code = p.stock_code LEFT JOIN names AS qn ON qn.stock_code = q.stock_code
    ORDER BY c.customer_id, mode, r.rank;
    DROP TABLE rec_lists; DROP TABLE rec_bought; DROP TABLE rec_customers; DROP TABLE rec_products;`);
  await writeMetrics(connection, "recommendations_metrics", fit.metrics, {fittedThrough: window?.fittedThrough ?? null, scoredAsOf: window?.lastDay ?? null});
  const precision = (method: string) => fit.metrics.find((row) => row.method === method && row.metric.startsWith("precision"))?.value?.toFixed(3);
  let unfitted = 0;
  for (let at = 0; at < lists.user.length; at++) if (lists.newCustomer[at] && (at === 0 || lists.user[at - 1] !== lists.user[at])) unfitted++;
  const customers = `${today.users} customers (${unfitted} new since the fit: co-purchases and popularity)`;
  return {
    rowsIn: today.day.length,
    rowsOut: lists.user.length,
    detail:
      precision("blend:buy_again") === undefined
        ? `${customers}; ${(fit.metrics[0]?.details ?? "not evaluated").replace(/\.$/, "")}; ${fitNote(window, reused)}`
        : `${customers}; precision@10 buy again ${precision("blend:buy_again")}, discover ${precision("blend:discover")}; ${fitNote(window, reused)}`
  };
}

/**
 * The purchases matching `where` (on rec_bought), with dense customer and product indexes of their own (left
 * in rec_customers and rec_products): the fit's indexes come from the fit window alone, so its input does
 * not change when a day is added after it.
 */
async function purchases(connection: StageContext["connection"], where: string): Promise<RecommendData> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE rec_customers AS
    SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) - 1 AS INTEGER) AS u FROM (SELECT DISTINCT customer_id FROM rec_bought WHERE ${where});
    CREATE OR REPLACE TEMP TABLE rec_products AS
    SELECT stock_code, CAST(row_number() OVER (ORDER BY stock_code) - 1 AS INTEGER) AS i FROM (SELECT DISTINCT stock_code FROM rec_bought WHERE ${where});`);
  const events = await readColumns(
    connection,
    `SELECT u, i, day FROM rec_bought JOIN rec_customers USING (customer_id) JOIN rec_products USING (stock_code) WHERE ${where} ORDER BY u, i, day`
  );
  const customers = await readColumns(connection, `SELECT customer_id FROM rec_customers ORDER BY u`);
  const products = await readColumns(connection, `SELECT stock_code FROM rec_products ORDER BY i`);
  const customerIds = ints(customers, "customer_id");
  const stockCodes = strings(products, "stock_code") as string[];
  return {
    users: customerIds.length,
    items: stockCodes.length,
    user: ints(events, "u"),
    item: ints(events, "i"),
    day: ints(events, "day"),
    customerIds,
    stockCodes
  };
}
