import {columnsOf, numbers, readColumns, strings, writeRows} from "../run/table-io.js";
import {fitNote, fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import {CUSTOMER_MODEL_SNAPSHOTS} from "../schema/customer-models.js";
import {score, type RfmArtefact, type RfmFitData} from "../../models/rfm/index.js";
import type {Fitted} from "../../models/dialect.js";
import {projectUrl} from "../paths.js";
import {customersThrough} from "./customers-through.js";

export {NEW_SINCE_CUTOFF} from "../../models/rfm/index.js";

/**
 * RFM analysis: quintile breakpoints fitted on the customers as they were at the end of the fit window, with
 * a back-test in time (the same scoring as of the churn cut-off, customer_features sample 'training', against
 * whether each customer bought again in the 90 days after); today's customers (customer_metrics) are scored
 * with those breakpoints, named by the R×F grid, summarised per segment and compared with the back-test's segments.
 */
export const rfmStage: Stage = {
  name: "rfm",
  description: "Score customers by recency, frequency and monetary value; name segments; back-test them",
  inputs: ["customer_metrics", "customer_features", "sales", "returns"],
  outputs: ["rfm_segments", "rfm_segment_summary", "rfm_segment_movement", "rfm_metrics"],
  module: "loaders/stages/rfm.ts",
  refit: "period",
  run: rfm
};

async function rfm({connection, options, runModel, fitted}: StageContext) {
  const window = await fitWindowOf(connection, options.refit);
  const customers = window
    ? await customersThrough(connection, window.fittedThrough)
    : {recency_days: new Float64Array(), frequency: new Float64Array(), monetary: new Float64Array()};
  const past = await readColumns(
    connection,
    `SELECT customer_id::DOUBLE AS customer_id, recency_days::DOUBLE AS recency_days, frequency::DOUBLE AS frequency, monetary::DOUBLE AS monetary,
       churned::DOUBLE AS churned, strftime(as_of, '%Y-%m-%d') AS as_of
     FROM customer_features WHERE sample = 'training' ORDER BY customer_id`
  );
  const data: RfmFitData = {
    customers: {recency: customers.recency_days, frequency: customers.frequency, monetary: customers.monetary},
    backtest: {
      customer_id: numbers(past, "customer_id"),
      recency: numbers(past, "recency_days"),
      frequency: numbers(past, "frequency"),
      monetary: numbers(past, "monetary"),
      churned: numbers(past, "churned"),
      cutoff: strings(past, "as_of")[0] ?? null
    }
  };
  const {artefact: fit, reused} = await fitted("rfm", data, window?.fittedThrough ?? "", () =>
    runModel<Fitted<RfmArtefact>>(projectUrl("models/rfm/index.ts"), "fit", data)
  );
  const today = await readColumns(
    connection,
    `SELECT customer_id::DOUBLE AS customer_id, country, recency_days::DOUBLE AS recency_days, frequency::DOUBLE AS frequency, monetary
     FROM customer_metrics ORDER BY customer_id`
  );
  // Scoring is one pass over today's customers (four comparisons per score), cheaper in-process than a worker's start.
  const scores = score(fit.artefact, {
    customer_id: numbers(today, "customer_id"),
    country: strings(today, "country"),
    recency_days: numbers(today, "recency_days"),
    frequency: numbers(today, "frequency"),
    monetary: numbers(today, "monetary")
  });
  await writeRows(connection, "rfm_segments", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.rfm_segments.columns), scores.segments);
  await writeRows(connection, "rfm_segment_summary", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.rfm_segment_summary.columns), scores.summary);
  await writeRows(connection, "rfm_segment_movement", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.rfm_segment_movement.columns), scores.movement);
  await writeMetrics(connection, "rfm_metrics", fit.metrics, {
    fittedThrough: fit.artefact.customers ? (window?.fittedThrough ?? null) : null,
    scoredAsOf: window?.lastDay ?? null
  });
  const auc = (method: string) => fit.metrics.find((row) => row.method === method && row.metric === "roc_auc")?.value;
  const total = auc("rfm_score");
  const champions = scores.segments.filter((row) => row.segment === "Champions").length;
  const backtest =
    total == null
      ? `no back-test (${data.backtest.customer_id.length} customers before the cut-off)`
      : `back-test ROC-AUC ${total.toFixed(3)} (R alone ${auc("r_score")!.toFixed(3)})`;
  return {
    rowsIn: scores.segments.length,
    rowsOut: scores.segments.length,
    detail: `${scores.segments.length} customers, ${champions} champions; breakpoints from ${fit.artefact.customers} customers; ${backtest}; ${fitNote(window, reused)}`
  };
}
