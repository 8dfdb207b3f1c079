import {literal} from "../db.js";
import {writeRows, type ColumnType, ints, numbers, readColumns} from "../run/table-io.js";
import {fitNote, fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import type {Fitted} from "../../models/dialect.js";
import {scoringRow, type AnomalyArtefact, type AnomalyFitData, type AnomalyScores} from "../../models/anomalies/index.js";
import type {AnomalyRow} from "../../models/anomalies/score.js";
import type {MetricRow} from "../../models/metrics.js";
import {projectUrl} from "../paths.js";
import {SEVERITIES} from "../../src/shared/values.js";

/** Anomalies: robust per-product and per-customer checks of price and quantity on every sales line. */
export const anomaliesStage: Stage = {
  name: "anomalies",
  description: "Flag sales lines with unusual prices or quantities (robust median/MAD), checked on injected anomalies",
  inputs: ["sales"],
  outputs: ["anomalies", "anomalies_metrics"],
  module: "loaders/stages/anomalies.ts",
  refit: "period",
  options: ({seed}) => ({seed}),
  run: anomalies
};

/**
 * Most sales lines the model is fitted on at once. Above it, the fit window's products are split into
 * buckets (product index modulo the number of buckets), each with its own fit and its own scoring, so
 * memory stays flat as the data grows: product statistics are exact (a product's lines share a bucket), a
 * customer's usual quantity is then measured on their lines in the bucket, and the injected-anomaly
 * evaluation runs on the first bucket. The shipped data (522,537 lines) and 10× (5.2 million) fit in one.
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

const SEVERITY_RANK = `CASE a.severity ${SEVERITIES.map((severity, rank) => `WHEN ${literal(severity)} THEN ${rank + 1}`).join(" ")} END`;

async function anomalies({connection, options, runModel, fitted}: StageContext) {
  // Baselines fitted on the lines through the end of the last complete refit period, with product and
  // customer indices of that window (so its fit input does not change with later days); every line of
  // today's data is checked against them. A product first sold after the window has no baseline: its
  // lines are counted (detail line, anomalies_metrics) and checked from the next refit.
  const window = await fitWindowOf(connection, options.refit);
  const inWindow = window ? `invoice_date::DATE <= DATE '${window.fittedThrough}'` : "false";
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE an_files AS
    SELECT source_file, CAST(row_number() OVER (ORDER BY source_file) - 1 AS INTEGER) AS f FROM (SELECT DISTINCT source_file FROM sales);
    CREATE OR REPLACE TEMP TABLE an_products AS
    SELECT stock_code, CAST(row_number() OVER (ORDER BY stock_code) - 1 AS INTEGER) AS p FROM (SELECT DISTINCT stock_code FROM sales WHERE ${inWindow});
    CREATE OR REPLACE TEMP TABLE an_customers AS
    SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) - 1 AS INTEGER) AS c
    FROM (SELECT DISTINCT customer_id FROM sales WHERE customer_id IS NOT NULL AND ${inWindow});`);
  const [{products, customers, fitLines, lines: total, newProducts}] = (
    await connection.runAndReadAll(
      `SELECT (SELECT count(*) FROM an_products)::INTEGER AS products, (SELECT count(*) FROM an_customers)::INTEGER AS customers,
         (SELECT count(*) FROM sales WHERE ${inWindow})::DOUBLE AS fitLines, (SELECT count(*) FROM sales)::DOUBLE AS lines,
         (SELECT count(DISTINCT stock_code) FROM sales ANTI JOIN an_products USING (stock_code))::INTEGER AS newProducts`
    )
  ).getRowObjectsJS() as {products: number; customers: number; fitLines: number; lines: number; newProducts: number}[];
  const buckets = Math.max(1, Math.ceil(fitLines / ANOMALY_CHUNK_LINES));
  await connection.run(`CREATE OR REPLACE TEMP TABLE an_findings (${FINDING_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ")})`);
  const model = projectUrl("models/anomalies/index.ts");
  const flagged: AnomalyRow[] = [];
  let evaluation: MetricRow[] = [];
  let unscored = 0;
  let reused = true;
  for (let bucket = 0; bucket < buckets; bucket++) {
    // The lines of products not in the fit go with bucket 0, where they are counted as unscored.
    const columns = await readColumns(
      connection,
      `SELECT f, source_line::DOUBLE AS source_line, coalesce(p // ${buckets}, -1)::INTEGER AS p, coalesce(c, -1)::INTEGER AS c,
         quantity::DOUBLE AS quantity, unit_price, (${inWindow})::INTEGER AS fit
       FROM sales JOIN an_files USING (source_file) LEFT JOIN an_products USING (stock_code) LEFT JOIN an_customers USING (customer_id)
       ${buckets > 1 ? `WHERE coalesce(p % ${buckets}, 0) = ${bucket}` : ""}
       ORDER BY f, source_line`
    );
    const today = {
      product: ints(columns, "p"),
      customer: ints(columns, "c"),
      quantity: numbers(columns, "quantity"),
      unitPrice: numbers(columns, "unit_price"),
      products: Math.ceil((products - bucket) / buckets),
      customers
    };
    const data = fitLines === total ? today : linesOfFit(today, ints(columns, "fit"));
    const fitData: AnomalyFitData = buckets > 1 ? {...data, bucketOf: {buckets, totalLines: fitLines}} : data;
    const modelOptions = {seed: options.seed, evaluate: bucket === 0};
    const fit = await fitted("anomalies", {data: fitData, options: modelOptions}, window?.fittedThrough ?? "", () =>
      runModel<Fitted<AnomalyArtefact>>(model, "fit", fitData, modelOptions)
    );
    reused &&= fit.reused;
    const result = await runModel<AnomalyScores>(model, "score", fit.artefact.artefact, today);
    const file = ints(columns, "f");
    const sourceLine = numbers(columns, "source_line");
    await writeRows(
      connection,
      "an_findings__bucket",
      FINDING_COLUMNS,
      result.rows.map((row) => ({...row, f: file[row.line], source_line: sourceLine[row.line]}))
    );
    await connection.run("INSERT INTO an_findings SELECT * FROM an_findings__bucket; DROP TABLE an_findings__bucket");
    for (const row of result.rows) flagged.push(row);
    unscored += result.unscored;
    if (bucket === 0) evaluation = fit.artefact.metrics;
  }
  await connection.run(`
    CREATE OR REPLACE TABLE anomalies AS
    SELECT s.source_file, s.source_line, s.invoice_no, s.invoice_date, s.stock_code, s.description, s.customer_id, s.country, s.quantity,
      s.unit_price, s.revenue, s.returned_quantity, s.net_revenue, a.kind, a.severity, CAST(${SEVERITY_RANK} AS INTEGER) AS severity_rank, a.factor, a.price_score, a.quantity_score,
      a.typical_unit_price, a.expected_quantity, a.zscore_flag, a.reason
    FROM an_findings AS a JOIN an_files USING (f) JOIN sales AS s USING (source_file, source_line)
    ORDER BY severity_rank, a.factor DESC, s.source_file, s.source_line;
    DROP TABLE an_findings; DROP TABLE an_files; DROP TABLE an_products; DROP TABLE an_customers;`);
  const fittedAny = window !== null && fitLines > 0;
  const metrics = fittedAny ? [...evaluation, scoringRow({lines: total, unscored, newProducts}, window.fittedThrough)] : evaluation;
  await writeMetrics(connection, "anomalies_metrics", metrics, {fittedThrough: fittedAny ? window.fittedThrough : null, scoredAsOf: window?.lastDay ?? null});
  const counts = flagged.reduce<Record<string, number>>((all, row) => ((all[row.severity] = (all[row.severity] ?? 0) + 1), all), {});
  const metric = (method: string, name: string) => metrics.find((row) => row.method === method && row.metric === name)?.value?.toFixed(3);
  return {
    rowsIn: total,
    rowsOut: flagged.length,
    detail:
      `${flagged.length} lines flagged (Critical ${counts.Critical ?? 0}, High ${counts.High ?? 0}, Medium ${counts.Medium ?? 0}); ` +
      (metric("robust", "recall") === undefined
        ? (metrics[0]?.details ?? "not evaluated")
        : `injected: recall ${metric("robust", "recall")}, precision ${metric("robust", "precision")}`) +
      (unscored > 0 ? `; ${plural(unscored, "line")} of ${plural(newProducts, "product")} newer than the fit not checked` : "") +
      `; ${fitNote(window, reused)}`
  };
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** The lines of the fit window (flag 1), in order (a loop: TypedArray.filter with a callback is ~20× slower). */
function linesOfFit(today: AnomalyFitData, fit: Int32Array): AnomalyFitData {
  let n = 0;
  for (const flag of fit) n += flag;
  const product = new Int32Array(n);
  const customer = new Int32Array(n);
  const quantity = new Float64Array(n);
  const unitPrice = new Float64Array(n);
  for (let i = 0, k = 0; i < fit.length; i++) {
    if (fit[i] !== 1) continue;
    product[k] = today.product[i];
    customer[k] = today.customer[i];
    quantity[k] = today.quantity[i];
    unitPrice[k++] = today.unitPrice[i];
  }
  return {...today, product, customer, quantity, unitPrice};
}
