import {integerAtLeast, integerBetween, numberBetween, positiveInteger, nonNegativeNumber, seed, withDefaults} from "../options.js";
import {RISK_THRESHOLDS} from "./risk.js";

/** Options of the churn model; every one has a default (CHURN_DEFAULTS). */
export interface ChurnOptions {
  /** Seed of the hold-out split and the forest. Default: 42. */
  seed?: number;
  /** Share of the labelled customers held out for evaluation, stratified by label (0–1, exclusive). Default: 0.3. */
  holdoutShare?: number;
  /**
   * Hold-outs in all: the published one (seed) and repeats with seeds seed + 1, … Each repeat refits every
   * method on its own training part; their mean ROC-AUC is steadier than one hold-out's. Default: 5.
   */
  repeats?: number;
  /** Trees of the random forest. Default: 200 (chosen, like the forest's other defaults, by out-of-bag ROC-AUC). */
  trees?: number;
  /** Deepest level of a forest node (the root is level 0). Default: 6. */
  maxDepth?: number;
  /** Smallest bootstrap weight of a forest leaf. Default: 20. */
  minSamplesLeaf?: number;
  /** Features drawn at random per split (1 to the number of features). Default: 1. */
  maxFeatures?: number;
  /** Bins per feature of the forest's histograms (2–256). Default: 32. */
  maxBins?: number;
  /** Ridge penalty of the logistic regression (on standardised, log-scaled features). Default: 10. */
  l2?: number;
  /** Calibrated churn probability from which a customer is at High risk. Default: 0.6. */
  highRisk?: number;
  /** Probability from which a customer is at Medium risk (below highRisk). Default: 0.35. */
  mediumRisk?: number;
  /** Bins of the reliability curves. Default: 10. */
  calibrationBins?: number;
  /** Factors listed per scored customer. Default: 3. */
  topFactors?: number;
  /**
   * Most training customers each split fits on: above it, a seeded stratified sample of this many (the
   * hold-out is never sampled), so training cost stays flat as customers grow. Default: 20000.
   */
  maxTrainingCustomers?: number;
}

export const CHURN_DEFAULTS: Readonly<Required<ChurnOptions>> = {
  seed: 42,
  holdoutShare: 0.3,
  repeats: 5,
  trees: 200,
  maxDepth: 6,
  minSamplesLeaf: 20,
  maxFeatures: 1,
  maxBins: 32,
  l2: 10,
  highRisk: RISK_THRESHOLDS.high,
  mediumRisk: RISK_THRESHOLDS.medium,
  calibrationBins: 10,
  topFactors: 3,
  maxTrainingCustomers: 20_000
};

/** The options over the defaults, validated (`invalid trees; not a positive integer: 0`). */
export function churnOptions(options?: Partial<ChurnOptions>): Required<ChurnOptions> {
  const merged = withDefaults("churn", CHURN_DEFAULTS, options, {
    seed,
    holdoutShare: (name, value) => numberBetween(name, value, 0, 1, true),
    repeats: positiveInteger,
    trees: positiveInteger,
    maxDepth: positiveInteger,
    minSamplesLeaf: positiveInteger,
    maxFeatures: positiveInteger,
    maxBins: (name, value) => integerBetween(name, value, 2, 256),
    l2: nonNegativeNumber,
    highRisk: (name, value) => numberBetween(name, value, 0, 1, true),
    mediumRisk: (name, value) => numberBetween(name, value, 0, 1, true),
    calibrationBins: positiveInteger,
    topFactors: (name, value) => integerAtLeast(name, value, 0),
    maxTrainingCustomers: (name, value) => integerAtLeast(name, value, 2)
  });
  if (merged.mediumRisk >= merged.highRisk) throw new Error(`invalid mediumRisk; not below highRisk (${merged.highRisk}): ${merged.mediumRisk}`);
  return merged;
}
