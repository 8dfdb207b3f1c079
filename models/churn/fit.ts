import {fitForest, explainForest, predictForest, type ForestOptions, type Trees} from "../forest/forest.js";
import {fitLogistic, predictLogistic, type LogisticModel} from "../logistic.js";
import {brierScore, logLoss, reliabilityCurve, type CalibrationBin} from "../metrics/calibration.js";
import {bestF1Threshold, confusionAt, type Confusion} from "../metrics/confusion.js";
import {averagePrecision, precisionRecallCurve} from "../metrics/precision-recall.js";
import {rocAuc, rocCurve} from "../metrics/roc.js";
import type {Role} from "../metrics.js";
import {applyPlatt, fitPlatt, type Platt} from "./calibration.js";
import {BASELINE_FEATURE, CHURN_FEATURES, CHURN_FEATURE_NAMES} from "./features.js";
import {churnOptions, type ChurnOptions} from "./options.js";
import {stratifiedSplit} from "./split.js";

/**
 * Customers labelled at the cut-off: features (CHURN_FEATURES order, feature-major) from the data strictly
 * before it, and churned 1/0 (no purchase from the cut-off through the end of the fit window).
 */
export interface ChurnTrainingData {
  customerIds: ArrayLike<number>;
  columns: Float64Array[];
  labels: ArrayLike<number>;
  /** The cut-off (YYYY-MM-DD), for the evaluation rows. */
  cutoff: string;
}

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

/** ROC-AUC and PR-AUC of a method over the repeated hold-outs (the published one first). */
export interface RepeatedEvaluation {
  method: ChurnMethod;
  role: MethodEvaluation["role"];
  seeds: number[];
  rocAuc: number[];
  prAuc: number[];
}

/** Everything the model card (model-card.ts) reports about a fit. */
export interface ChurnEvaluation {
  cutoff: string;
  repeated: RepeatedEvaluation[];
  /** trainCustomers: the customers fitted on; trainAvailable: the training part before sampling (see maxTrainingCustomers). */
  split: {trainCustomers: number; trainAvailable: number; trainChurned: number; holdoutCustomers: number; holdoutChurned: number};
  evaluations: MethodEvaluation[];
  /** Out-of-bag ROC-AUC of the forest on its training customers. */
  outOfBagRocAuc: number;
  /** The published model's confusion matrix on the hold-out, at the threshold chosen on out-of-bag data. */
  confusion: Confusion;
}

/** Per feature: the forest's impurity importance on its training customers and its mean |contribution| on the hold-out. */
export interface ChurnImportance {
  feature: string;
  label: string;
  impurity: number;
  heldOutContribution: number;
}

/**
 * The fitted churn model: the published split's forest (trees as typed arrays), its Platt calibration, the
 * logistic candidate (coefficients and scaler), the decision and risk thresholds, and what the fit's
 * snapshots publish (curves and importance on the hold-out). Plain data, V8-serialisable.
 */
export interface ChurnArtefact {
  /** The feature names, in the order the forest was fitted on. */
  features: string[];
  cutoff: string;
  forest: Trees;
  platt: Platt;
  logistic: LogisticModel;
  /** Probability from which a customer is called a churner (best F1 on out-of-bag predictions). */
  decisionThreshold: number;
  riskThresholds: {high: number; medium: number};
  topFactors: number;
  importance: ChurnImportance[];
  evaluations: MethodEvaluation[];
}

/**
 * The churn model, evaluated honestly: a stratified share of the labelled customers is held out; the random
 * forest, a logistic regression and a recency-only baseline are fitted on the rest and measured on the
 * hold-out only. The forest's probabilities are calibrated (Platt) and its decision threshold chosen on its
 * out-of-bag predictions, never on the hold-out. The whole protocol is repeated on `repeats` seeded splits
 * (the published one first) for a steadier ROC-AUC. The artefact is the published split's forest.
 */
export function fitChurn(training: ChurnTrainingData, options?: Partial<ChurnOptions>): {artefact: ChurnArtefact; evaluation: ChurnEvaluation} {
  const settings = churnOptions(options);
  checkData(training.columns, training.customerIds.length, "training");

  const published = fitSplit(training, settings.seed, settings);
  const {forest, platt, logistic, holdoutColumns, holdoutLabels, trainLabels, trainAvailable, probabilities, descriptions} = published;
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
      calibration: reliabilityCurve(p, holdoutLabels, settings.calibrationBins)
    };
  });

  // Repeated hold-outs: every method refitted on other seeded splits, measured on their hold-outs.
  const seeds = Array.from({length: settings.repeats}, (_, r) => settings.seed + r);
  const others = seeds.slice(1).map((other) => fitSplit(training, other, settings));
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

  const {outOfBag: _, ...trees} = forest;
  return {
    artefact: {
      features: [...CHURN_FEATURE_NAMES],
      cutoff: training.cutoff,
      forest: trees,
      platt,
      logistic,
      decisionThreshold: threshold,
      riskThresholds: {high: settings.highRisk, medium: settings.mediumRisk},
      topFactors: settings.topFactors,
      importance,
      evaluations
    },
    evaluation: {
      cutoff: training.cutoff,
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
      confusion: confusionAt(probabilities.random_forest, holdoutLabels, threshold)
    }
  };
}

/** Log-scaled features for the logistic regression (the flagged ones). */
export function linearFeatures(columns: readonly Float64Array[]): Float64Array[] {
  return columns.map((column, f) => (CHURN_FEATURES[f].logForLinear ? column.map((value) => Math.log1p(Math.max(0, value))) : column));
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
function fitSplit(training: ChurnTrainingData, seed: number, settings: Required<ChurnOptions>) {
  const forestOptions: ForestOptions = {
    trees: settings.trees,
    maxDepth: settings.maxDepth,
    minSamplesLeaf: settings.minSamplesLeaf,
    maxFeatures: settings.maxFeatures,
    maxBins: settings.maxBins,
    seed
  };
  const l2 = settings.l2;
  const labels = Uint8Array.from(training.labels);
  const maxTraining = settings.maxTrainingCustomers;
  const {train: available, holdout} = stratifiedSplit(labels, settings.holdoutShare, seed);
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
  const linear = linearFeatures;
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
    logistic,
    holdoutColumns,
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
