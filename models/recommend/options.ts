import {nonNegativeNumber, positiveInteger, positiveNumber, seed, withDefaults} from "../options.js";
import {DEFAULT_CATALOGUE} from "./rank.js";

/** The recommender's options: every one optional, defaults in `RECOMMEND_DEFAULTS`. */
export interface RecommendOptions {
  /** Recommendations per customer and mode (and the k of precision@k). Default: 10. */
  k?: number;
  /** Test window: the last this many days of the fit's data. Default: 30. */
  testDays?: number;
  /** Validation window (the blend's weights are tuned on it): the this many days before the test window. Default: 30. */
  validationDays?: number;
  /** Weights tried for the popularity and ALS terms of the blend (non-negative). Default: 0, 0.1, 0.3, 1. */
  weightGrid?: readonly number[];
  /** Products the ALS term scores for every customer when there are more (see DEFAULT_CATALOGUE). Default: 5000. */
  catalogue?: number;
  /**
   * Most customers the validation and test windows are scored on: above it, a seeded random sample of this
   * many (precision@k is a mean over customers; 5,000 pin it to about ±0.01). Default: 5000.
   */
  maxEvaluationCustomers?: number;
  /** Seed of that sample. Default: 42. */
  sampleSeed?: number;
  /** Half-life of a purchase's weight in the own-history score, in days. Default: 90. */
  halfLifeDays?: number;
  /** Window of "what sells now", in days before the cut-off. Default: 30. */
  popularityDays?: number;
  /** Window in which a product's repeat rate is measured, in days before the cut-off. Default: 60. */
  repeatWindowDays?: number;
  /** Pseudo-counts of the repeat rate: (rebuyers + a) / (buyers + b). Default: [1, 10]. */
  repeatPrior?: readonly [number, number];
  /** ALS latent factors. Default: 16. */
  factors?: number;
  /** ALS confidence slope: c = 1 + alpha·log(1 + purchase days). Default: 1. */
  alpha?: number;
  /** ALS L2 regularisation. Default: 0.1. */
  regularization?: number;
  /** ALS sweeps of the first (validation) fit, from random factors. Default: 6. */
  iterations?: number;
  /** ALS sweeps of the test and final fits, each warm-started from the fit before. Default: 2. */
  warmIterations?: number;
  /** Conjugate-gradient steps per row and ALS sweep. Default: 2. */
  cgSteps?: number;
  /** Seed of the initial ALS factors. Default: 42. */
  seed?: number;
}

export const RECOMMEND_DEFAULTS: Readonly<Required<RecommendOptions>> = {
  k: 10,
  testDays: 30,
  validationDays: 30,
  weightGrid: [0, 0.1, 0.3, 1],
  catalogue: DEFAULT_CATALOGUE,
  maxEvaluationCustomers: 5000,
  sampleSeed: 42,
  halfLifeDays: 90,
  popularityDays: 30,
  repeatWindowDays: 60,
  repeatPrior: [1, 10],
  factors: 16,
  alpha: 1,
  regularization: 0.1,
  iterations: 6,
  warmIterations: 2,
  cgSteps: 2,
  seed: 42
};

const show = (value: unknown) => JSON.stringify(value);

function weightGrid(name: string, value: unknown): readonly number[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`invalid ${name}; not a non-empty list of numbers: ${show(value)}`);
  for (const weight of value) nonNegativeNumber(name, weight);
  return value;
}

function prior(name: string, value: unknown): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`invalid ${name}; not a pair of numbers [a, b]: ${show(value)}`);
  nonNegativeNumber(name, value[0]);
  positiveNumber(name, value[1]);
  return value as [number, number];
}

export function recommendOptions(options?: Partial<RecommendOptions>): Required<RecommendOptions> {
  return withDefaults("recommendations", RECOMMEND_DEFAULTS, options, {
    k: positiveInteger,
    testDays: positiveInteger,
    validationDays: positiveInteger,
    weightGrid,
    catalogue: positiveInteger,
    maxEvaluationCustomers: positiveInteger,
    sampleSeed: seed,
    halfLifeDays: positiveNumber,
    popularityDays: positiveInteger,
    repeatWindowDays: positiveInteger,
    repeatPrior: prior,
    factors: positiveInteger,
    alpha: nonNegativeNumber,
    regularization: nonNegativeNumber,
    iterations: positiveInteger,
    warmIterations: positiveInteger,
    cgSteps: positiveInteger,
    seed
  });
}
