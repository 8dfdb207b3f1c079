import type {PipelineOptions} from "../config.js";
import {readColumns, writeRows, columnsOf, numbers, strings} from "../run/table-io.js";
import {fitNote, fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import {CUSTOMER_MODEL_SNAPSHOTS} from "../schema/customer-models.js";
import {CHURN_FEATURE_NAMES} from "../../models/churn/features.js";
import type {ChurnOptions, ChurnScores, ChurnScoringData, ChurnTrainingData} from "../../models/churn/index.js";
import type {Fitted} from "../../models/dialect.js";
import type {ChurnArtefact} from "../../models/churn/fit.js";
import {notFittedRow} from "../../models/metrics.js";
import {projectUrl} from "../paths.js";

const MODEL = projectUrl("models/churn/index.ts");

/** Fewer labelled customers than this in either class give empty churn outputs. */
export const MIN_PER_CLASS = 10;

export {CHURN_ROC_AUC_BAR} from "../../models/churn/model-card.js";

function settings(options: PipelineOptions): Partial<ChurnOptions> {
  return {seed: options.seed};
}

/**
 * Churn prediction (models/churn, in a worker thread): the random forest, a logistic regression and a
 * recency-only baseline, fitted and evaluated on the customers labelled at the cut-off of the fit window
 * (customer_features' 'training' sample), the fit reused until the window moves; then today's scores from
 * the fitted forest on the 'scoring' sample. Publishes the scores, the fit's curves and feature importance;
 * the model card goes to churn_metrics.
 */
export const churnStage: Stage = {
  name: "churn",
  description: "Train and evaluate the churn forest on held-out customers; score every customer today",
  inputs: ["customer_features", "sales"],
  outputs: ["churn_scores", "churn_curves", "churn_importance", "churn_metrics"],
  module: "loaders/stages/churn.ts",
  refit: "period",
  options: settings,
  run: churn
};

async function churn({connection, options, runModel, fitted}: StageContext) {
  const window = await fitWindowOf(connection, options.refit);
  const select = (sample: string) =>
    readColumns(
      connection,
      `SELECT customer_id::DOUBLE AS customer_id, country, strftime(as_of, '%Y-%m-%d') AS as_of, ${CHURN_FEATURE_NAMES.join(", ")}, expected_spend_90d, churned::DOUBLE AS churned
       FROM customer_features WHERE sample = '${sample}' ORDER BY customer_id`
    );
  const training = await select("training");
  const scoring = await select("scoring");
  const labels = numbers(training, "churned");
  const churned = labels.reduce((sum, label) => sum + label, 0);
  const stayed = labels.length - churned;
  const customers = (data: typeof training) => numbers(data, "customer_id");
  if (churned < MIN_PER_CLASS || stayed < MIN_PER_CLASS || customers(scoring).length === 0) {
    for (const name of ["churn_scores", "churn_curves", "churn_importance"] as const) {
      await writeRows(connection, name, columnsOf(CUSTOMER_MODEL_SNAPSHOTS[name].columns), []);
    }
    const why =
      customers(scoring).length === 0
        ? "No customers with a customer id to score."
        : `Not enough history: the model learns from customers seen before a cut-off 90 days before the end of the fit window (${window?.fittedThrough}); ${churned} of them churned and ${stayed} bought again, and training needs at least ${MIN_PER_CLASS} of each.`;
    await writeMetrics(connection, "churn_metrics", [notFittedRow("churn", why)], {fittedThrough: null, scoredAsOf: window?.lastDay ?? null});
    return {
      rowsIn: labels.length,
      rowsOut: 0,
      detail: `not enough history to train (${churned} churned and ${stayed} retained customers before the cut-off; needs ${MIN_PER_CLASS} of each): empty outputs`
    };
  }
  const columns = (data: typeof training) => CHURN_FEATURE_NAMES.map((name) => numbers(data, name));
  // The training sample is a function of the fit window only (customer-features.ts), so it keys the fit.
  const data: ChurnTrainingData = {customerIds: customers(training), columns: columns(training), labels, cutoff: strings(training, "as_of")[0]!};
  const modelOptions = settings(options);
  const {artefact: fit, reused} = await fitted("churn", {data, options: modelOptions}, window!.fittedThrough, () =>
    runModel<Fitted<ChurnArtefact>>(MODEL, "fit", data, modelOptions)
  );
  const today: ChurnScoringData = {
    customerIds: customers(scoring),
    countries: strings(scoring, "country"),
    columns: columns(scoring),
    expectedSpend: numbers(scoring, "expected_spend_90d"),
    asOf: strings(scoring, "as_of")[0]!
  };
  const result = await runModel<ChurnScores>(MODEL, "score", fit.artefact, today);

  await writeRows(connection, "churn_scores", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.churn_scores.columns), result.scores);
  await writeRows(connection, "churn_curves", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.churn_curves.columns), result.curves);
  await writeRows(connection, "churn_importance", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.churn_importance.columns), result.importance);
  await writeMetrics(connection, "churn_metrics", [...fit.metrics, ...result.metrics], {
    fittedThrough: window!.fittedThrough,
    scoredAsOf: window!.lastDay
  });
  const auc = (method: string) => fit.metrics.find((row) => row.method === method && row.metric === "roc_auc" && row.split.startsWith("holdout"))!.value!;
  const high = result.scores.filter((score) => score.risk_level === "High").length;
  return {
    rowsIn: labels.length + today.customerIds.length,
    rowsOut: result.scores.length,
    detail: `hold-out ROC-AUC ${auc("random_forest").toFixed(3)} (recency alone ${auc("recency_only").toFixed(3)}); ${high} customers at high risk; ${fitNote(window, reused)}`
  };
}
