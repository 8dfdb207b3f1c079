import {fitAls, type AlsModel} from "./als.js";
import {popularityBetween, profileBefore, repeatRates, type HistoryProfile, type Purchases} from "./history.js";

/**
 * Everything the recommender knows at a cut-off day, computed from purchases before it only: the
 * customer's own history, how often each product is bought again, what sells now (one linear pass each,
 * so scoring recomputes them from today's purchases), and ALS factors (fitted, or a fit's factors mapped
 * onto today's customers and products).
 */
export interface HistorySignals {
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
}

export interface Signals extends HistorySignals {
  als: AlsModel;
}

/** The settings of the signals (documented with the model's options, models/recommend/options.ts). */
export interface SignalSettings {
  halfLifeDays: number;
  popularityDays: number;
  repeatWindowDays: number;
  repeatPrior: readonly [number, number];
  factors: number;
  alpha: number;
  regularization: number;
  iterations: number;
  cgSteps: number;
  seed: number;
  warmIterations: number;
}

export function historySignals(purchases: Purchases, cutoffDay: number, settings: SignalSettings): HistorySignals {
  const profile = profileBefore(purchases, cutoffDay, settings.halfLifeDays);
  const popularity = popularityBetween(purchases, Number.NEGATIVE_INFINITY, cutoffDay);
  const recent = popularityBetween(purchases, cutoffDay - settings.popularityDays, cutoffDay);
  let top = 0;
  for (const value of recent) top = Math.max(top, value);
  const recentPopularity = recent.map((value) => (top > 0 ? value / top : 0));
  const repeatRate = repeatRates(purchases, cutoffDay - settings.repeatWindowDays, cutoffDay, ...settings.repeatPrior);
  return {cutoffDay, profile, repeatRate, recentBuyers: recent, popularityDays: settings.popularityDays, recentPopularity, popularity};
}

/**
 * The history signals and an ALS fit on log(1 + purchase days) per customer and product.
 * @param warmStart a fit on an earlier cut-off (it saw only data this one sees too): ALS starts from its
 *   factors and runs `warmIterations` sweeps instead of `iterations` from random factors
 */
export function computeSignals(purchases: Purchases, cutoffDay: number, settings: SignalSettings, warmStart?: Signals): Signals {
  const history = historySignals(purchases, cutoffDay, settings);
  const {counts} = history.profile;
  const strengths = {...counts, values: counts.values.map(Math.log1p)};
  if (warmStart && warmStart.cutoffDay > cutoffDay) throw new Error(`a warm start must come from an earlier cut-off: ${warmStart.cutoffDay} > ${cutoffDay}`);
  const {factors, alpha, regularization, cgSteps, seed} = settings;
  const als = fitAls(strengths, {
    factors,
    alpha,
    regularization,
    cgSteps,
    seed,
    ...(warmStart ? {initial: warmStart.als, iterations: settings.warmIterations} : {iterations: settings.iterations})
  });
  return {...history, als};
}
