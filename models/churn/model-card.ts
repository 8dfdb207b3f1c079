import type {MetricRow} from "../metrics.js";
import type {ChurnEvaluation, ChurnImportance, MethodEvaluation} from "./fit.js";
import {CHURN_ROC_AUC_BAR} from "../../src/shared/values.js";

/** The bar of issue 4: ROC-AUC on the held-out customers (the pages' copy is src/components/churn-evaluation.ts). */
export {CHURN_ROC_AUC_BAR};

/**
 * The churn model card for `churn_metrics`: every method's ROC-AUC, PR-AUC, Brier score and log loss on
 * the published hold-out (with verdicts against recency alone and the bar), the repeated hold-outs' mean,
 * and the forest's confusion matrix at the threshold chosen on out-of-bag predictions.
 */
export function churnModelCard(result: ChurnEvaluation): MetricRow[] {
  const {split, cutoff} = result;
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
    }
  );
  return rows;
}

/** `churn_curves` rows: ROC, precision-recall and reliability points of every method on the hold-out. */
export function churnCurveRows(evaluation: MethodEvaluation) {
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

/** `churn_importance` rows, ranked by held-out contribution (ties: feature order). */
export function churnImportanceRows(importance: readonly ChurnImportance[]) {
  const order = importance.map((_, i) => i).sort((a, b) => importance[b].heldOutContribution - importance[a].heldOutContribution || a - b);
  return order.map((row, rank) => ({
    feature: importance[row].feature,
    label: importance[row].label,
    impurity_importance: importance[row].impurity,
    heldout_contribution: importance[row].heldOutContribution,
    importance_rank: rank + 1
  }));
}
