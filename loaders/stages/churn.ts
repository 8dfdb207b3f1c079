import type {PipelineOptions} from "../config.js";
import {formatMs} from "../run/format.js";
import {readColumns, writeRows, columnsOf} from "../run/table-io.js";
import {fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import {CUSTOMER_MODEL_SNAPSHOTS} from "../schema/customer-models.js";
import {CHURN_FEATURE_NAMES} from "../../models/churn/features.js";
import type {ChurnOptions, ChurnResult, MethodEvaluation} from "../../models/churn/fit.js";
import {RISK_THRESHOLDS} from "../../models/churn/risk.js";
import {notFittedRow, type MetricRow} from "../../models/metrics.js";
import {projectUrl} from "../paths.js";

const MODEL = projectUrl("models/churn/fit.ts");

/** Fewer labelled customers than this in either class give empty churn outputs. */
export const MIN_PER_CLASS = 10;

/** The bar of issue 4: ROC-AUC on the held-out customers. */
export const CHURN_ROC_AUC_BAR = 0.75;

function settings(options: PipelineOptions): ChurnOptions {
  return {seed: options.seed};
}

/**
 * Churn prediction: the random forest, a logistic regression and a recency-only baseline, trained and
 * evaluated on customer_features (models/churn/fit.ts, in a worker thread). Publishes today's scores, the
 * curves and feature importance; the model card goes to churn_metrics.
 */
export const churnStage: Stage = {
  name: "churn",
  description: "Train and evaluate the churn forest on held-out customers; score every customer today",
  inputs: ["customer_features", "sales"],
  outputs: ["churn_scores", "churn_curves", "churn_importance", "churn_metrics"],
  module: "loaders/stages/churn.ts",
  options: settings,
  run: churn
};

type FeatureColumns = Record<string, Float64Array> & {country: string[]; as_of: string[]};

async function churn({connection, options, runModel}: StageContext) {
  // Refitted on all the data every run (not yet split into fit and score).
  const window = await fitWindowOf(connection, options.refit);
  const select = (sample: string) =>
    readColumns(
      connection,
      `SELECT customer_id, country, strftime(as_of, '%Y-%m-%d') AS as_of, ${CHURN_FEATURE_NAMES.join(", ")}, expected_spend_90d, churned::DOUBLE AS churned
       FROM customer_features WHERE sample = '${sample}' ORDER BY customer_id`
    ) as Promise<FeatureColumns>;
  const training = await select("training");
  const scoring = await select("scoring");
  const churned = training.churned.reduce((sum, label) => sum + label, 0);
  const stayed = training.churned.length - churned;
  if (churned < MIN_PER_CLASS || stayed < MIN_PER_CLASS || scoring.customer_id.length === 0) {
    for (const name of ["churn_scores", "churn_curves", "churn_importance"] as const) {
      await writeRows(connection, name, columnsOf(CUSTOMER_MODEL_SNAPSHOTS[name].columns), []);
    }
    const why =
      scoring.customer_id.length === 0
        ? "No customers with a customer id to score."
        : `Not enough history: the model learns from customers seen before a cut-off 90 days before the end of the data; ${churned} of them churned and ${stayed} bought again, and training needs at least ${MIN_PER_CLASS} of each.`;
    await writeMetrics(connection, "churn_metrics", [notFittedRow("churn", why)], {fittedThrough: null, scoredAsOf: window?.lastDay ?? null});
    return {
      rowsIn: training.churned.length,
      rowsOut: 0,
      detail: `not enough history to train (${churned} churned and ${stayed} retained customers before the cut-off; needs ${MIN_PER_CLASS} of each): empty outputs`
    };
  }
  const columns = (data: FeatureColumns) => CHURN_FEATURE_NAMES.map((name) => data[name]);
  const started = performance.now();
  const result = await runModel<ChurnResult>(
    MODEL,
    "fitChurn",
    {customerIds: training.customer_id, columns: columns(training), labels: training.churned},
    {customerIds: scoring.customer_id, columns: columns(scoring), expectedSpend: scoring.expected_spend_90d},
    settings(options)
  );
  const fitMs = performance.now() - started;

  const ranks = rankBy(result.scores.map((score) => score.valueAtRisk));
  await writeRows(
    connection,
    "churn_scores",
    columnsOf(CUSTOMER_MODEL_SNAPSHOTS.churn_scores.columns),
    result.scores.map((score, i) => ({
      customer_id: score.customerId,
      country: scoring.country[i],
      as_of: scoring.as_of[i],
      recency_days: scoring.recency_days[i],
      frequency: scoring.frequency[i],
      monetary: scoring.monetary[i],
      churn_probability: score.probability,
      risk_level: score.risk,
      top_factors: score.factors.map((factor) => `${factor.label} = ${formatValue(factor.value)} (+${factor.contribution.toFixed(3)})`).join("; "),
      expected_spend_90d: score.expectedSpend,
      value_at_risk: score.valueAtRisk,
      value_at_risk_rank: ranks[i]
    }))
  );

  await writeRows(connection, "churn_curves", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.churn_curves.columns), result.evaluations.flatMap(curveRows));
  const importanceRanks = rankBy(result.importance.map((row) => row.heldOutContribution));
  await writeRows(
    connection,
    "churn_importance",
    columnsOf(CUSTOMER_MODEL_SNAPSHOTS.churn_importance.columns),
    result.importance
      .map((row, i) => ({
        feature: row.feature,
        label: row.label,
        impurity_importance: row.impurity,
        heldout_contribution: row.heldOutContribution,
        importance_rank: importanceRanks[i]
      }))
      .sort((a, b) => a.importance_rank - b.importance_rank)
  );

  await writeMetrics(connection, "churn_metrics", modelCard(result, training.as_of[0], scoring.as_of[0]), {
    fittedThrough: window?.lastDay ?? null,
    scoredAsOf: window?.lastDay ?? null
  });
  const forest = result.evaluations.find((evaluation) => evaluation.method === "random_forest")!;
  const baseline = result.evaluations.find((evaluation) => evaluation.method === "recency_only")!;
  const high = result.scores.filter((score) => score.risk === "High").length;
  return {
    rowsIn: training.customer_id.length + scoring.customer_id.length,
    rowsOut: result.scores.length,
    detail: `hold-out ROC-AUC ${forest.rocAuc.toFixed(3)} (recency alone ${baseline.rocAuc.toFixed(3)}); ${high} customers at high risk; worker ${formatMs(fitMs)}`
  };
}

function curveRows(evaluation: MethodEvaluation) {
  const method = evaluation.method;
  return [
    ...evaluation.roc.map((point, i) => ({method, curve: "roc", point: i, threshold: point.threshold, x: point.x, y: point.y, cases: null})),
    ...evaluation.pr.map((point, i) => ({method, curve: "pr", point: i, threshold: point.threshold, x: point.x, y: point.y, cases: null})),
    ...evaluation.calibration.map((bin, i) => ({
      method,
      curve: "calibration",
      point: i,
      threshold: bin.lower,
      x: bin.meanPredicted,
      y: bin.observedRate,
      cases: bin.count
    }))
  ];
}

function modelCard(result: ChurnResult, cutoff: string, asOf: string): MetricRow[] {
  const {split} = result;
  const sampled =
    split.trainCustomers < split.trainAvailable
      ? ` (methods fitted on a seeded stratified sample of ${split.trainCustomers} of the ${split.trainAvailable} training customers)`
      : "";
  const holdout = `holdout: ${split.holdoutCustomers} customers (30%, stratified) of those active before the cut-off ${cutoff}; ${split.holdoutChurned} churned${sampled}`;
  const n = split.holdoutCustomers;
  const byMethod = new Map(result.evaluations.map((evaluation) => [evaluation.method, evaluation]));
  const baseline = byMethod.get("recency_only")!;
  const rows: MetricRow[] = [];
  for (const evaluation of result.evaluations) {
    const base = {model: "churn", method: evaluation.method, role: evaluation.role, split: holdout, n};
    let verdict = evaluation.description;
    if (evaluation.role !== "baseline") {
      const difference = evaluation.rocAuc - baseline.rocAuc;
      verdict += difference > 0 ? `; beats recency alone by ${difference.toFixed(3)} ROC-AUC` : `; does NOT beat recency alone (${baseline.rocAuc.toFixed(3)})`;
    }
    if (evaluation.role === "published") {
      const other = byMethod.get("logistic_regression")!;
      verdict +=
        other.rocAuc > evaluation.rocAuc
          ? `; the logistic regression scores higher (${other.rocAuc.toFixed(3)})`
          : `; above the logistic regression (${other.rocAuc.toFixed(3)})`;
      verdict +=
        evaluation.rocAuc >= CHURN_ROC_AUC_BAR
          ? `; meets the ${CHURN_ROC_AUC_BAR} bar on this hold-out`
          : `; below the ${CHURN_ROC_AUC_BAR} bar on this hold-out`;
    }
    rows.push(
      {...base, metric: "roc_auc", value: evaluation.rocAuc, details: verdict},
      {
        ...base,
        metric: "pr_auc",
        value: evaluation.prAuc,
        details: `average precision; a random ranking scores the churn rate, ${(split.holdoutChurned / n).toFixed(3)}`
      },
      {...base, metric: "brier_score", value: evaluation.brier, details: "mean squared error of the probabilities (lower is better)"},
      {...base, metric: "log_loss", value: evaluation.logLoss, details: "mean negative log-likelihood (lower is better)"}
    );
  }
  for (const repeated of result.repeated) {
    const seeds = repeated.seeds;
    const repeatedSplit = `repeated holdout: ${seeds.length} stratified 30% hold-outs (seeds ${seeds[0]}–${seeds[seeds.length - 1]}, the published one first), every method refitted on each; mean`;
    for (const [metric, values] of [
      ["roc_auc", repeated.rocAuc],
      ["pr_auc", repeated.prAuc]
    ] as const) {
      const average = values.reduce((sum, value) => sum + value, 0) / values.length;
      const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - average) ** 2, 0) / values.length);
      let details = `sd ${sd.toFixed(3)}, range ${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}; per seed ${values.map((value) => value.toFixed(3)).join(", ")}`;
      if (metric === "roc_auc" && repeated.role === "published") {
        details += average >= CHURN_ROC_AUC_BAR ? `; meets the ${CHURN_ROC_AUC_BAR} bar on average` : `; below the ${CHURN_ROC_AUC_BAR} bar on average`;
      }
      rows.push({model: "churn", method: repeated.method, role: repeated.role, metric, split: repeatedSplit, value: average, n, details});
    }
  }
  const forest = {model: "churn", method: "random_forest", role: "published" as const, split: holdout, n};
  const c = result.confusion;
  const at = `at threshold ${c.threshold.toFixed(3)} (best F1 on out-of-bag training predictions)`;
  rows.push(
    {...forest, metric: "churn_rate", value: split.holdoutChurned / n, details: "share of held-out customers who churned"},
    {
      ...forest,
      metric: "threshold",
      value: c.threshold,
      details: "probability from which a customer is called a churner (chosen on out-of-bag predictions, not the hold-out)"
    },
    {...forest, metric: "true_positives", value: c.truePositives, details: `churners called churners ${at}`},
    {...forest, metric: "false_positives", value: c.falsePositives, details: `stayers called churners ${at}`},
    {...forest, metric: "true_negatives", value: c.trueNegatives, details: `stayers called stayers ${at}`},
    {...forest, metric: "false_negatives", value: c.falseNegatives, details: `churners missed ${at}`},
    {...forest, metric: "precision", value: c.precision, details: at},
    {...forest, metric: "recall", value: c.recall, details: at},
    {...forest, metric: "f1", value: c.f1, details: at},
    {...forest, metric: "accuracy", value: c.accuracy, details: at},
    {
      ...forest,
      metric: "oob_roc_auc",
      split: `out-of-bag: ${split.trainCustomers} training customers, each scored by the trees that did not see it`,
      n: split.trainCustomers,
      value: result.outOfBagRocAuc,
      details: "the forest's own honest estimate on its training customers"
    },
    {
      ...forest,
      metric: "scored_customers",
      split: `scoring: every customer, features as of ${asOf} (no labels yet)`,
      n: result.scores.length,
      value: result.scores.length,
      details: `risk levels: High ≥ ${RISK_THRESHOLDS.high}, Medium ≥ ${RISK_THRESHOLDS.medium}; label = no purchase in the 90 days after the as-of day`
    }
  );
  return rows;
}

/** 1-based ranks by descending value (ties: the earlier row first). */
function rankBy(values: number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const ranks = new Array<number>(values.length);
  order.forEach((row, rank) => (ranks[row] = rank + 1));
  return ranks;
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
