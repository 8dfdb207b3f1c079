/**
 * The churn model card's numbers, gathered from `model_metrics` (model = 'churn'), and the verdict in
 * plain words: does the published forest beat the recency-only baseline, and does it reach the issue's
 * ROC-AUC bar, on the main hold-out and on the mean of the repeated hold-outs. Pure (unit-tested).
 */
import {findMetric, metricValue, type MetricRow} from "./model-metrics.js";
import {CHURN_ROC_AUC_BAR} from "../shared/values.js";

/** The quality bar: ROC-AUC on held-out customers. */
export {CHURN_ROC_AUC_BAR};

export const CHURN_METHODS = ["random_forest", "logistic_regression", "recency_only"] as const;
export type ChurnMethod = (typeof CHURN_METHODS)[number];

export const CHURN_METHOD_LABELS: Record<ChurnMethod, string> = {
  random_forest: "Random forest (gives the scores)",
  logistic_regression: "Logistic regression",
  recency_only: "Recency only (baseline)"
};

export interface MethodScores {
  rocAuc: number;
  prAuc: number;
  brier: number;
  logLoss: number;
  /** Mean over the repeated hold-outs, with the row's details (spread, per-seed values). */
  meanRocAuc: number;
  meanPrAuc: number;
  meanRocAucDetails: string;
  meanPrAucDetails: string;
}

export interface ChurnEvaluation {
  bar: number;
  /** What the published hold-out is, as model_metrics words it. */
  holdoutSplit: string;
  holdoutCustomers: number;
  churnRate: number;
  /** How many seeded hold-outs the means are over. */
  repeats: number;
  repeatedSplit: string;
  methods: Record<ChurnMethod, MethodScores>;
  oobRocAuc: number;
  threshold: number;
  thresholdDetails: string;
  confusion: {truePositives: number; falsePositives: number; falseNegatives: number; trueNegatives: number};
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

export function churnEvaluation(rows: readonly MetricRow[]): ChurnEvaluation {
  const value = (method: ChurnMethod, metric: string, split = "holdout:") => metricValue(rows, {model: "churn", method, metric, split});
  const scores = (method: ChurnMethod): MethodScores => {
    const meanRoc = findMetric(rows, {model: "churn", method, metric: "roc_auc", split: "repeated holdout"});
    const meanPr = findMetric(rows, {model: "churn", method, metric: "pr_auc", split: "repeated holdout"});
    return {
      rocAuc: value(method, "roc_auc"),
      prAuc: value(method, "pr_auc"),
      brier: value(method, "brier_score"),
      logLoss: value(method, "log_loss"),
      meanRocAuc: meanRoc.value,
      meanPrAuc: meanPr.value,
      meanRocAucDetails: meanRoc.details ?? "",
      meanPrAucDetails: meanPr.details ?? ""
    };
  };
  const auc = findMetric(rows, {model: "churn", method: "random_forest", metric: "roc_auc", split: "holdout:"});
  const repeated = findMetric(rows, {model: "churn", method: "random_forest", metric: "roc_auc", split: "repeated holdout"});
  const threshold = findMetric(rows, {model: "churn", method: "random_forest", metric: "threshold"});
  const forest = (metric: string) => value("random_forest", metric);
  return {
    bar: CHURN_ROC_AUC_BAR,
    holdoutSplit: auc.split,
    holdoutCustomers: Number(auc.n),
    churnRate: forest("churn_rate"),
    repeats: Number(/(\d+)/.exec(repeated.split.replace(/^repeated holdout:\s*/, ""))?.[1] ?? Number.NaN),
    repeatedSplit: repeated.split,
    methods: Object.fromEntries(CHURN_METHODS.map((method) => [method, scores(method)])) as Record<ChurnMethod, MethodScores>,
    oobRocAuc: metricValue(rows, {model: "churn", method: "random_forest", metric: "oob_roc_auc"}),
    threshold: threshold.value,
    thresholdDetails: threshold.details ?? "",
    confusion: {
      truePositives: forest("true_positives"),
      falsePositives: forest("false_positives"),
      falseNegatives: forest("false_negatives"),
      trueNegatives: forest("true_negatives")
    },
    precision: forest("precision"),
    recall: forest("recall"),
    f1: forest("f1"),
    accuracy: forest("accuracy")
  };
}

/** A metric to 3 decimals, or to 4 where 3 would round it across the bar (0.7496 is not 0.750). */
export function formatAuc(value: number, bar = CHURN_ROC_AUC_BAR): string {
  const short = value.toFixed(3);
  return Number(short) >= bar === value >= bar ? short : value.toFixed(4);
}

export interface ChurnVerdict {
  beatsBaselineOnHoldout: boolean;
  beatsBaselineOnAverage: boolean;
  meetsBarOnHoldout: boolean;
  meetsBarOnAverage: boolean;
  /** One sentence each, stating the facts with their numbers. */
  baseline: string;
  bar: string;
}

export function churnVerdict(evaluation: ChurnEvaluation): ChurnVerdict {
  const {random_forest: forest, recency_only: baseline} = evaluation.methods;
  const bar = String(evaluation.bar);
  const beatsBaselineOnHoldout = forest.rocAuc > baseline.rocAuc;
  const beatsBaselineOnAverage = forest.meanRocAuc > baseline.meanRocAuc;
  const meetsBarOnHoldout = forest.rocAuc >= evaluation.bar;
  const meetsBarOnAverage = forest.meanRocAuc >= evaluation.bar;
  const means = `the average of ${evaluation.repeats} hold-outs`;
  const diff = (a: number, b: number) => `${a >= b ? "+" : "−"}${Math.abs(a - b).toFixed(3)}`;
  const baselineText =
    beatsBaselineOnHoldout && beatsBaselineOnAverage
      ? `The random forest beats the recency-only baseline: ROC-AUC ${formatAuc(forest.rocAuc)} against ${formatAuc(baseline.rocAuc)} on the main hold-out (${diff(forest.rocAuc, baseline.rocAuc)}), and ${formatAuc(forest.meanRocAuc)} against ${formatAuc(baseline.meanRocAuc)} on ${means} (${diff(forest.meanRocAuc, baseline.meanRocAuc)}).`
      : `The random forest does not reliably beat the recency-only baseline: ROC-AUC ${formatAuc(forest.rocAuc)} against ${formatAuc(baseline.rocAuc)} on the main hold-out, and ${formatAuc(forest.meanRocAuc)} against ${formatAuc(baseline.meanRocAuc)} on ${means}.`;
  const onHoldout = `${formatAuc(forest.rocAuc)} on the main hold-out`;
  const onAverage = `${formatAuc(forest.meanRocAuc)} on ${means}`;
  const barText =
    meetsBarOnHoldout && meetsBarOnAverage
      ? `The ${bar} ROC-AUC target is met: ${onHoldout} and ${onAverage}.`
      : meetsBarOnAverage
        ? `The ${bar} ROC-AUC target is met on average but not on the main hold-out: ${onAverage}, but ${onHoldout}.`
        : meetsBarOnHoldout
          ? `The ${bar} ROC-AUC target is met on the main hold-out (${onHoldout.replace(/ on the main hold-out$/, "")}) but not on average (${onAverage}).`
          : `The ${bar} ROC-AUC target is not met: ${onHoldout} and ${onAverage}.`;
  return {beatsBaselineOnHoldout, beatsBaselineOnAverage, meetsBarOnHoldout, meetsBarOnAverage, baseline: baselineText, bar: barText};
}
