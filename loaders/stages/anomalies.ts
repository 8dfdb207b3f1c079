import {writeRows, type ColumnType, ints, numbers, readColumns} from "../run/table-io.js";
import {fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import type {AnomalyResult} from "../../models/anomalies/fit.js";
import type {Lines} from "../../models/anomalies/robust.js";
import {projectUrl} from "../paths.js";

/** Anomalies: robust per-product and per-customer checks of price and quantity on every sales line. */
export const anomaliesStage: Stage = {
  name: "anomalies",
  description: "Flag sales lines with unusual prices or quantities (robust median/MAD), checked on injected anomalies",
  inputs: ["sales"],
  outputs: ["anomalies", "anomalies_metrics"],
  module: "loaders/stages/anomalies.ts",
  options: ({seed}) => ({seed}),
  run: anomalies
};

/**
 * Most sales lines the model sees at once. Above it, products are split into buckets (product index modulo
 * the number of buckets) and each bucket's lines are scored on their own, so memory stays flat as the data
 * grows: product statistics are exact (a product's lines share a bucket), a customer's usual quantity is
 * then measured on their lines in the bucket, and the injected-anomaly evaluation runs on the first bucket.
 * The shipped data (522,537 lines) and 10× (5.2 million) fit in one bucket.
 */
export const ANOMALY_CHUNK_LINES = 8_000_000;

const FINDING_COLUMNS: [string, ColumnType][] = [
  ["f", "INTEGER"],
  ["source_line", "BIGINT"],
  ["kind", "VARCHAR"],
  ["severity", "VARCHAR"],
  ["factor", "DOUBLE"],
  ["price_score", "DOUBLE"],
  ["quantity_score", "DOUBLE"],
  ["typical_unit_price", "DOUBLE"],
  ["expected_quantity", "DOUBLE"],
  ["zscore_flag", "BOOLEAN"],
  ["reason", "VARCHAR"]
];

const SEVERITY_RANK = "CASE a.severity WHEN 'Critical' THEN 1 WHEN 'High' THEN 2 ELSE 3 END";

async function anomalies({connection, options, runModel}: StageContext) {
  // Refitted on all the data every run (not yet split into fit and score).
  const window = await fitWindowOf(connection, options.refit);
  // Small index tables, joined (hashed) rather than windowed over every line; one sort, by file and line.
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE an_files AS
    SELECT source_file, CAST(row_number() OVER (ORDER BY source_file) - 1 AS INTEGER) AS f FROM (SELECT DISTINCT source_file FROM sales);
    CREATE OR REPLACE TEMP TABLE an_products AS
    SELECT stock_code, CAST(row_number() OVER (ORDER BY stock_code) - 1 AS INTEGER) AS p FROM (SELECT DISTINCT stock_code FROM sales);
    CREATE OR REPLACE TEMP TABLE an_customers AS
    SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) - 1 AS INTEGER) AS c FROM (SELECT DISTINCT customer_id FROM sales WHERE customer_id IS NOT NULL);`);
  const [{products, customers, lines: total}] = (
    await connection.runAndReadAll(
      `SELECT (SELECT count(*) FROM an_products)::INTEGER AS products, (SELECT count(*) FROM an_customers)::INTEGER AS customers, (SELECT count(*) FROM sales)::DOUBLE AS lines`
    )
  ).getRowObjectsJS() as {products: number; customers: number; lines: number}[];
  const buckets = Math.max(1, Math.ceil(total / ANOMALY_CHUNK_LINES));
  await connection.run(`CREATE OR REPLACE TEMP TABLE an_findings (${FINDING_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ")})`);
  let flagged: AnomalyResult["rows"] = [];
  let metrics: AnomalyResult["metrics"] = [];
  let evaluatedLines = 0;
  for (let bucket = 0; bucket < buckets; bucket++) {
    const columns = await readColumns(
      connection,
      `SELECT f, source_line::DOUBLE AS source_line, p, coalesce(c, -1)::INTEGER AS c, quantity::DOUBLE AS quantity, unit_price
       FROM sales JOIN an_files USING (source_file) JOIN an_products USING (stock_code) LEFT JOIN an_customers USING (customer_id)
       ${buckets > 1 ? `WHERE p % ${buckets} = ${bucket}` : ""}
       ORDER BY f, source_line`
    );
    const lines: Lines = {
      product: ints(columns, "p"),
      customer: ints(columns, "c"),
      quantity: numbers(columns, "quantity"),
      unitPrice: numbers(columns, "unit_price"),
      products,
      customers
    };
    const result = await runModel<AnomalyResult>(projectUrl("models/anomalies/fit.ts"), "findAnomalies", lines, {seed: options.seed, evaluate: bucket === 0});
    const file = ints(columns, "f");
    const sourceLine = numbers(columns, "source_line");
    await writeRows(
      connection,
      "an_findings__bucket",
      FINDING_COLUMNS,
      result.rows.map((row) => ({...row, f: file[row.line], source_line: sourceLine[row.line]}))
    );
    await connection.run("INSERT INTO an_findings SELECT * FROM an_findings__bucket; DROP TABLE an_findings__bucket");
    flagged = flagged.concat(result.rows);
    if (bucket === 0) {
      metrics = result.metrics;
      evaluatedLines = lines.product.length;
    }
  }
  if (buckets > 1) {
    const note = `; the lines of products in bucket 1 of ${buckets} (${evaluatedLines} of ${total} lines: see ANOMALY_CHUNK_LINES)`;
    metrics = metrics.map((row) => ({...row, split: `${row.split}${note}`}));
  }
  const result = {rows: flagged, metrics};
  await connection.run(`
    CREATE OR REPLACE TABLE anomalies AS
    SELECT s.source_file, s.source_line, s.invoice_no, s.invoice_date, s.stock_code, s.description, s.customer_id, s.country, s.quantity,
      s.unit_price, s.revenue, a.kind, a.severity, CAST(${SEVERITY_RANK} AS INTEGER) AS severity_rank, a.factor, a.price_score, a.quantity_score,
      a.typical_unit_price, a.expected_quantity, a.zscore_flag, a.reason
    FROM an_findings AS a JOIN an_files USING (f) JOIN sales AS s USING (source_file, source_line)
    ORDER BY severity_rank, a.factor DESC, s.source_file, s.source_line;
    DROP TABLE an_findings; DROP TABLE an_files; DROP TABLE an_products; DROP TABLE an_customers;`);
  await writeMetrics(connection, "anomalies_metrics", result.metrics, {fittedThrough: window?.lastDay ?? null, scoredAsOf: window?.lastDay ?? null});
  const counts = result.rows.reduce<Record<string, number>>((all, row) => ((all[row.severity] = (all[row.severity] ?? 0) + 1), all), {});
  const metric = (method: string, name: string) => result.metrics.find((row) => row.method === method && row.metric === name)?.value?.toFixed(3);
  return {
    rowsIn: total,
    rowsOut: result.rows.length,
    detail:
      `${result.rows.length} lines flagged (Critical ${counts.Critical ?? 0}, High ${counts.High ?? 0}, Medium ${counts.Medium ?? 0}); ` +
      (metric("robust", "recall") === undefined
        ? (result.metrics[0]?.details ?? "not evaluated")
        : `injected: recall ${metric("robust", "recall")}, precision ${metric("robust", "precision")}`)
  };
}
