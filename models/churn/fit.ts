import {fitForest, explainForest, predictForest, type ForestOptions} from "../forest/forest.js";
import {fitLogistic, predictLogistic} from "../logistic.js";
import {brierScore, logLoss, reliabilityCurve, type CalibrationBin} from "../metrics/calibration.js";
import {bestF1Threshold, confusionAt, type Confusion} from "../metrics/confusion.js";
import {averagePrecision, precisionRecallCurve} from "../metrics/precision-recall.js";
import {rocAuc, rocCurve} from "../metrics/roc.js";
import type {Role} from "../metrics.js";
import {applyPlatt, fitPlatt} from "./calibration.js";
import {BASELINE_FEATURE, CHURN_FEATURES, CHURN_FEATURE_NAMES} from "./features.js";
import {RISK_THRESHOLDS, riskLevel, type RiskLevel} from "./risk.js";
import {stratifiedSplit} from "./split.js";

/** Customers labelled at the cut-off: features (CHURN_FEATURES order, feature-major) and churned 1/0. */
export interface ChurnTrainingData {
  customerIds: ArrayLike<number>;
  columns: Float64Array[];
  labels: ArrayLike<number>;
}

/** Customers to score: features as of the day after the data ends, and the spend at stake. */
export interface ChurnScoringData {
  customerIds: ArrayLike<number>;
  columns: Float64Array[];
  expectedSpend: ArrayLike<number>;
}

/** Options of fitChurn; every one has a default. */
export interface ChurnOptions {
  /** Seed of the split and the forest. Default: 42. */
  seed?: number;
  /** Share of customers held out for evaluation, stratified by label. Default: 0.3. */
  holdoutShare?: number;
  /**
   * Hold-outs in all: the published one (seed) and repeats with seeds seed + 1, … Each repeat refits every
   * method on its own training part; their mean ROC-AUC is steadier than one hold-out's. Default: 5.
   */
  repeats?: number;
  /**
   * The random forest. Defaults (chosen by out-of-bag ROC-AUC on training customers): 200 trees, depth 6,
   * leaves of at least 20, one random feature per split, 32 bins.
   */
  forest?: ForestOptions;
  /** Ridge penalty of the logistic regression (on standardised, log-scaled features). Default: 10. */
  l2?: number;
  /** Probability thresholds of the High and Medium risk levels. Default: RISK_THRESHOLDS. */
  riskThresholds?: {high: number; medium: number};
  /** Bins of the reliability curves. Default: 10. */
  calibrationBins?: number;
  /** Factors listed per scored customer. Default: 3. */
  topFactors?: number;
  /**
   * Most training customers each split fits on: above it, a seeded stratified sample of this many (the
   * hold-out is never sampled), so training cost stays flat as customers grow. Default: 20000 (the shipped
   * data's 2,357 training customers are all used).
   */
  maxTrainingCustomers?: number;
}

export const CHURN_FOREST_DEFAULTS: ForestOptions = {trees: 200, maxDepth: 6, minSamplesLeaf: 20, maxFeatures: 1, maxBins: 32};

export type ChurnMethod = "random_forest" | "logistic_regression" | "recency_only";

export interface MethodEvaluation {
  method: ChurnMethod;
  role: Role;
  description: string;
  rocAuc: number;
  prAuc: number;
  brier: number;
  logLoss: number;
  roc: {threshold: number; x: number; y: number}[];
  pr: {threshold: number; x: number; y: number}[];
  calibration: CalibrationBin[];
}

export interface ChurnFactor {
  feature: string;
  label: string;
  value: number;
  /** Change in churn probability this feature's value makes for this customer (forest, Saabas). */
  contribution: number;
}

export interface ChurnScore {
  customerId: number;
  probability: number;
  risk: RiskLevel;
  factors: ChurnFactor[];
  expectedSpend: number;
  valueAtRisk: number;
}

/** ROC-AUC and PR-AUC of a method over the repeated hold-outs (the published one first). */
export interface RepeatedEvaluation {
  method: ChurnMethod;
  role: MethodEvaluation["role"];
  seeds: number[];
  rocAuc: number[];
  prAuc: number[];
}

export interface ChurnResult {
  repeated: RepeatedEvaluation[];
  /** trainCustomers: the customers fitted on; trainAvailable: the training part before sampling (see maxTrainingCustomers). */
  split: {trainCustomers: number; trainAvailable: number; trainChurned: number; holdoutCustomers: number; holdoutChurned: number};
  evaluations: MethodEvaluation[];
  /** Out-of-bag ROC-AUC of the forest on its training customers. */
  outOfBagRocAuc: number;
  /** The published model's confusion matrix on the hold-out, at the threshold chosen on out-of-bag data. */
  confusion: Confusion;
  /**
   * Per feature: mean decrease in impurity on the training customers (normalised to sum to 1), and the
   * mean absolute contribution to the held-out customers' forest probabilities (probability points).
   */
  importance: {feature: string; label: string; impurity: number; heldOutContribution: number}[];
  forestOptions: ForestOptions;
  platt: {intercept: number; slope: number};
  scores: ChurnScore[];
}

/**
 * The churn model, evaluated honestly: a stratified 30% of the labelled customers is held out; the random
 * forest, a logistic regression and a recency-only baseline are fitted on the rest and measured on the
 * hold-out only. The forest's probabilities are calibrated (Platt) and its decision threshold chosen on its
 * out-of-bag predictions, never on the hold-out. The whole protocol is repeated on `repeats` seeded splits
 * (the published one first) for a steadier ROC-AUC. The published scores apply the published split's forest
 * to features as of the end of the data.
 */
export function fitChurn(training: ChurnTrainingData, scoring: ChurnScoringData, options: ChurnOptions = {}): ChurnResult {
  const seed = options.seed ?? 42;
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`invalid repeats; not a positive integer: ${repeats}`);
  const thresholds = options.riskThresholds ?? RISK_THRESHOLDS;
  const bins = options.calibrationBins ?? 10;
  checkData(training.columns, training.customerIds.length, "training");
  checkData(scoring.columns, scoring.customerIds.length, "scoring");

  const published = fitSplit(training, seed, options);
  const {forest, platt, holdoutColumns, holdoutLabels, trainLabels, trainAvailable, probabilities, descriptions} = published;
  const forestProbability = (columns: readonly Float64Array[]) => applyPlatt(platt, predictForest(forest, columns));
  const outOfBag = forest.outOfBag.map((p, i) => [p, trainLabels[i]]).filter(([p]) => !Number.isNaN(p));
  const outOfBagRocAuc = rocAuc(
    outOfBag.map(([p]) => p),
    outOfBag.map(([, label]) => label)
  );
  const threshold = bestF1Threshold(
    applyPlatt(
      platt,
      outOfBag.map(([p]) => p)
    ),
    outOfBag.map(([, label]) => label)
  );

  const evaluations = METHODS.map(({method, role}): MethodEvaluation => {
    const p = probabilities[method];
    return {
      method,
      role,
      description: descriptions[method],
      rocAuc: rocAuc(p, holdoutLabels),
      prAuc: averagePrecision(p, holdoutLabels),
      brier: brierScore(p, holdoutLabels),
      logLoss: logLoss(p, holdoutLabels),
      roc: thin(rocCurve(p, holdoutLabels).map((point) => ({threshold: point.threshold, x: point.falsePositiveRate, y: point.truePositiveRate}))),
      pr: thin(precisionRecallCurve(p, holdoutLabels).map((point) => ({threshold: point.threshold, x: point.recall, y: point.precision}))),
      calibration: reliabilityCurve(p, holdoutLabels, bins)
    };
  });

  // Repeated hold-outs: every method refitted on other seeded splits, measured on their hold-outs.
  const seeds = Array.from({length: repeats}, (_, r) => seed + r);
  const others = seeds.slice(1).map((other) => fitSplit(training, other, options, false));
  const repeated = METHODS.map(({method, role}): RepeatedEvaluation => ({
    method,
    role,
    seeds,
    rocAuc: [published, ...others].map((fit) => rocAuc(fit.probabilities[method], fit.holdoutLabels)),
    prAuc: [published, ...others].map((fit) => averagePrecision(fit.probabilities[method], fit.holdoutLabels))
  }));

  const heldOut = explainForest(forest, holdoutColumns).contributions;
  const importance = CHURN_FEATURES.map((feature, f) => ({
    feature: feature.name,
    label: feature.label,
    impurity: forest.impurityImportance[f],
    heldOutContribution: meanAbsolute(heldOut, CHURN_FEATURES.length, f)
  }));

  // Published scores: the published forest on features as of the end of the data.
  const scored = forestProbability(scoring.columns);
  const {contributions} = explainForest(forest, scoring.columns);
  const topFactors = options.topFactors ?? 3;
  const scores = Array.from({length: scoring.customerIds.length}, (_, i): ChurnScore => {
    const factors = CHURN_FEATURES.map((feature, f) => ({
      feature: feature.name,
      label: feature.label,
      value: scoring.columns[f][i],
      contribution: contributions[i * CHURN_FEATURES.length + f]
    }))
      .filter((factor) => factor.contribution > 0)
      .sort((a, b) => b.contribution - a.contribution || a.feature.localeCompare(b.feature))
      .slice(0, topFactors);
    const expectedSpend = scoring.expectedSpend[i];
    return {
      customerId: scoring.customerIds[i],
      probability: scored[i],
      risk: riskLevel(scored[i], thresholds),
      factors,
      expectedSpend,
      valueAtRisk: scored[i] * expectedSpend
    };
  });

  return {
    repeated,
    split: {
      trainCustomers: trainLabels.length,
      trainAvailable,
      trainChurned: trainLabels.reduce((sum, label) => sum + label, 0),
      holdoutCustomers: holdoutLabels.length,
      holdoutChurned: holdoutLabels.reduce((sum, label) => sum + label, 0)
    },
    evaluations,
    outOfBagRocAuc,
    confusion: confusionAt(probabilities.random_forest, holdoutLabels, threshold),
    importance,
    forestOptions: published.forestOptions,
    platt,
    scores
  };
}

const METHODS: {method: ChurnMethod; role: MethodEvaluation["role"]}[] = [
  {method: "random_forest", role: "published"},
  {method: "logistic_regression", role: "candidate"},
  {method: "recency_only", role: "baseline"}
];

/**
 * One stratified split: every method fitted on the training part, its probabilities on the hold-out. The
 * forest is Platt-calibrated on its out-of-bag predictions (never on the hold-out).
 */
function fitSplit(training: ChurnTrainingData, seed: number, options: ChurnOptions, keep = true) {
  const forestOptions = {...CHURN_FOREST_DEFAULTS, ...options.forest, seed};
  const l2 = options.l2 ?? 10;
  const labels = Uint8Array.from(training.labels);
  const maxTraining = options.maxTrainingCustomers ?? 20_000;
  if (!Number.isInteger(maxTraining) || maxTraining < 2) throw new Error(`invalid maxTrainingCustomers; not an integer of at least 2: ${maxTraining}`);
  const {train: available, holdout} = stratifiedSplit(labels, options.holdoutShare ?? 0.3, seed);
  const train =
    available.length <= maxTraining
      ? available
      : stratifiedSplit(
          Uint8Array.from(available, (row) => labels[row]),
          1 - maxTraining / available.length,
          seed + 0x7a1
        ).train.map((i) => available[i]);
  const pick = (values: ArrayLike<number>, rows: number[]) => Float64Array.from(rows, (row) => values[row]);
  const trainColumns = training.columns.map((column) => pick(column, train));
  const holdoutColumns = training.columns.map((column) => pick(column, holdout));
  const trainLabels = pick(labels, train);
  const holdoutLabels = pick(labels, holdout);

  const forest = fitForest(trainColumns, trainLabels, forestOptions);
  const platt = fitPlatt(forest.outOfBag, trainLabels);

  // Logistic regression (candidate) on log-scaled features.
  const linear = (columns: readonly Float64Array[]) =>
    columns.map((column, f) => (CHURN_FEATURES[f].logForLinear ? column.map((value) => Math.log1p(Math.max(0, value))) : column));
  const logistic = fitLogistic(linear(trainColumns), trainLabels, {l2});

  // Recency only (baseline): a logistic curve of log recency, so it has probabilities to calibrate too.
  const recency = CHURN_FEATURE_NAMES.indexOf(BASELINE_FEATURE);
  const recencyModel = fitLogistic([trainColumns[recency].map(Math.log1p)], trainLabels, {l2: 1e-3});

  const probabilities: Record<ChurnMethod, Float64Array> = {
    random_forest: applyPlatt(platt, predictForest(forest, holdoutColumns)),
    logistic_regression: predictLogistic(logistic, linear(holdoutColumns)),
    recency_only: predictLogistic(recencyModel, [holdoutColumns[recency].map(Math.log1p)])
  };
  const descriptions: Record<ChurnMethod, string> = {
    random_forest: `random forest (${describeForest(forestOptions)}), Platt-calibrated on out-of-bag predictions`,
    logistic_regression: `logistic regression, L2 ${l2}, on standardised log-scaled features`,
    recency_only: "days since last purchase alone (logistic curve of its log)"
  };
  return {
    forest,
    platt,
    forestOptions,
    holdoutColumns: keep ? holdoutColumns : [],
    holdoutLabels,
    trainLabels,
    trainAvailable: available.length,
    probabilities,
    descriptions
  };
}

/** Mean |value| of column f of a row-major matrix with p columns. */
function meanAbsolute(matrix: Float64Array, p: number, f: number): number {
  let sum = 0;
  for (let k = f; k < matrix.length; k += p) sum += Math.abs(matrix[k]);
  return sum / (matrix.length / p);
}

function describeForest(options: ForestOptions): string {
  return `${options.trees} trees, depth ≤ ${options.maxDepth}, leaves ≥ ${options.minSamplesLeaf}, ${options.maxFeatures} feature(s) per split, ${options.maxBins} bins`;
}

function checkData(columns: readonly Float64Array[], n: number, what: string): void {
  if (columns.length !== CHURN_FEATURES.length) throw new Error(`${what} data has ${columns.length} feature columns, expected ${CHURN_FEATURES.length}`);
  columns.forEach((column, f) => {
    if (column.length !== n) throw new Error(`${what} feature ${CHURN_FEATURES[f].name} has ${column.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(column[i])) throw new Error(`${what} feature ${CHURN_FEATURES[f].name} of case ${i} is not a finite number: ${column[i]}`);
    }
  });
}

/** Keeps a curve small for the page: at most ~200 points, always the first and the last. */
function thin<T>(points: T[], most = 200): T[] {
  if (points.length <= most) return points;
  const step = (points.length - 1) / (most - 1);
  return Array.from({length: most}, (_, i) => points[Math.round(i * step)]);
}
