import {writeRows, type ColumnType} from "../run/rows.js";
import {inWorker} from "../run/worker.js";
import type {Stage, StageContext} from "../run/stage.js";
import {SALES_MODEL_SNAPSHOTS} from "../schema/sales-models.js";
import type {RecommendInput, RecommendResult} from "../../models/recommend/fit.js";
import {ints, readColumns, strings, writeMetrics} from "./model-io.js";

/** Recommendations: implicit ALS blended with own history and recent popularity; top 10 per customer and mode. */
export const recommendationsStage: Stage = {
  name: "recommendations",
  description: "Recommend products per customer (ALS + own history + what sells now), evaluated on the last 30 days",
  inputs: ["sales", "product_performance"],
  outputs: ["recommendations", "recommendations_metrics"],
  code: [
    import.meta.url,
    new URL("./model-io.ts", import.meta.url).href,
    ...["fit", "als", "sparse", "history", "signals", "rank", "evaluate"].map((name) => new URL(`../../models/recommend/${name}.ts`, import.meta.url).href),
    new URL("../../models/random.ts", import.meta.url).href,
    new URL("../../models/metrics.ts", import.meta.url).href
  ],
  options: ({seed}) => ({seed}),
  run: recommendations
};

const COLUMNS = Object.entries(SALES_MODEL_SNAPSHOTS.recommendations.columns).map(([column, spec]) => [column, spec.type] as [string, ColumnType]);

async function recommendations({connection, options}: StageContext) {
  // Purchases that stuck (not wholly cancelled later), one per customer, product and day.
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE rec_bought AS
    SELECT customer_id, stock_code, CAST(invoice_date::DATE - DATE '1970-01-01' AS INTEGER) AS day
    FROM sales WHERE customer_id IS NOT NULL AND net_quantity > 0 GROUP BY ALL;
    CREATE OR REPLACE TEMP TABLE rec_customers AS
    SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) - 1 AS INTEGER) AS u FROM (SELECT DISTINCT customer_id FROM rec_bought);
    CREATE OR REPLACE TEMP TABLE rec_products AS
    SELECT stock_code, CAST(row_number() OVER (ORDER BY stock_code) - 1 AS INTEGER) AS i FROM (SELECT DISTINCT stock_code FROM rec_bought);`);
  const events = await readColumns(
    connection,
    `SELECT u, i, day FROM rec_bought JOIN rec_customers USING (customer_id) JOIN rec_products USING (stock_code) ORDER BY u, i, day`
  );
  const customers = await readColumns(connection, `SELECT customer_id FROM rec_customers ORDER BY u`);
  const products = await readColumns(
    connection,
    `SELECT p.stock_code, pp.description FROM rec_products AS p LEFT JOIN product_performance AS pp USING (stock_code) ORDER BY p.i`
  );
  await connection.run("DROP TABLE rec_bought; DROP TABLE rec_customers; DROP TABLE rec_products;");
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
  const result = await inWorker<RecommendResult>(new URL("../../models/recommend/fit.ts", import.meta.url), "recommend", input, {
    signals: {als: {seed: options.seed}}
  });
  await writeRows(connection, "recommendations__rows", COLUMNS, result.rows as unknown as Record<string, unknown>[]);
  await connection.run(`
    CREATE OR REPLACE TABLE recommendations AS SELECT * FROM recommendations__rows ORDER BY customer_id, mode, rank;
    DROP TABLE recommendations__rows;`);
  await writeMetrics(connection, "recommendations_metrics", result.metrics as unknown as Record<string, unknown>[]);
  const precision = (method: string) => result.metrics.find((row) => row.method === method && row.metric.startsWith("precision"))?.value?.toFixed(3);
  return {
    rowsIn: input.day.length,
    rowsOut: result.rows.length,
    detail: `${customerIds.length} customers; precision@10 buy again ${precision("blend:buy_again")}, discover ${precision("blend:discover")}`
  };
}
