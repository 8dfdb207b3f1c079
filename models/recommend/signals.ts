import {fitAls, type AlsModel, type AlsOptions} from "./als.js";
import {popularityBetween, profileBefore, repeatRates, type HistoryProfile, type Purchases} from "./history.js";

/**
 * Everything the recommender knows at a cut-off day, computed from purchases before it only: the
 * customer's own history, how often each product is bought again, what sells now, and ALS factors.
 */
export interface Signals {
  cutoffDay: number;
  profile: HistoryProfile;
  /** Per product: smoothed share of its earlier buyers who bought it again in the last `repeatWindowDays`. */
  repeatRate: Float64Array;
  /** Per product: distinct customers in the last `popularityDays` before the cut-off. */
  recentBuyers: Float64Array;
  popularityDays: number;
  /** recentBuyers divided by the largest such count (0–1). */
  recentPopularity: Float64Array;
  /** Per product: distinct customers ever (before the cut-off). */
  popularity: Float64Array;
  als: AlsModel;
}

export interface SignalOptions {
  /** Half-life of a purchase's weight in the own-history score, in days. Default: 90. */
  halfLifeDays?: number;
  /** Window of "what sells now", in days before the cut-off. Default: 30. */
  popularityDays?: number;
  /** Window in which a product's repeat rate is measured, in days before the cut-off. Default: 60. */
  repeatWindowDays?: number;
  /** Pseudo-counts of the repeat rate: (rebuyers + a) / (buyers + b). Default: [1, 10]. */
  repeatPrior?: readonly [number, number];
  /** ALS settings; its matrix holds log(1 + purchase days) per customer and product. */
  als?: AlsOptions;
  /** Sweeps of a fit warm-started from an earlier window's factors (see `computeSignals`). Default: 2. */
  warmIterations?: number;
}

export const DEFAULT_SIGNAL_OPTIONS = {
  halfLifeDays: 90,
  popularityDays: 30,
  repeatWindowDays: 60,
  repeatPrior: [1, 10] as const,
  als: {factors: 16, alpha: 1, regularization: 0.1, iterations: 6, cgSteps: 2},
  warmIterations: 2
};

/**
 * @param warmStart a fit on an earlier cut-off (it saw only data this one sees too): ALS starts from its
 *   factors and runs `warmIterations` sweeps instead of `als.iterations` from random factors
 */
export function computeSignals(purchases: Purchases, cutoffDay: number, options: SignalOptions = {}, warmStart?: Signals): Signals {
  const settings = {...DEFAULT_SIGNAL_OPTIONS, ...options, als: {...DEFAULT_SIGNAL_OPTIONS.als, ...options.als}};
  const profile = profileBefore(purchases, cutoffDay, settings.halfLifeDays);
  const popularity = popularityBetween(purchases, Number.NEGATIVE_INFINITY, cutoffDay);
  const recent = popularityBetween(purchases, cutoffDay - settings.popularityDays, cutoffDay);
  let top = 0;
  for (const value of recent) top = Math.max(top, value);
  const recentPopularity = recent.map((value) => (top > 0 ? value / top : 0));
  const repeatRate = repeatRates(purchases, cutoffDay - settings.repeatWindowDays, cutoffDay, ...settings.repeatPrior);
  const strengths = {...profile.counts, values: profile.counts.values.map(Math.log1p)};
  if (warmStart && warmStart.cutoffDay > cutoffDay) throw new Error(`a warm start must come from an earlier cut-off: ${warmStart.cutoffDay} > ${cutoffDay}`);
  const als = fitAls(strengths, warmStart ? {...settings.als, initial: warmStart.als, iterations: settings.warmIterations} : settings.als);
  return {cutoffDay, profile, repeatRate, recentBuyers: recent, popularityDays: settings.popularityDays, recentPopularity, popularity, als};
}
