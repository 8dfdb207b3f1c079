/**
 * The Forecast page's reading of `sales_forecast` and `sales_forecast_backtest`: the backtest table (MAPE
 * and MAE by method and horizon) and a plain verdict on the published method against the baselines. Pure
 * functions over the snapshots' rows (as the fast path decodes them).
 */
import type {Role} from "../../models/metrics.js";
import {formatPercent} from "./format.js";

export type Granularity = "week" | "month";

export interface BacktestRow {
  granularity: Granularity;
  method: string;
  role: Role;
  horizon: number;
  target_start: Date;
  actual: number;
  forecast: number | null;
  abs_pct_error: number | null;
}

export interface ForecastRow {
  granularity: Granularity;
  period_start: Date;
  period_end: Date;
  kind: "actual" | "forecast";
  horizon: number | null;
  revenue: number | null;
  is_partial: boolean;
  partial_reason: string | null;
  forecast: number | null;
  lower_80: number | null;
  upper_80: number | null;
  lower_95: number | null;
  upper_95: number | null;
  method: string | null;
  note: string | null;
}

/** The baselines a forecast must beat (the pipeline's naive and mean-of-recent-periods methods). */
export const BASELINE_METHODS: Readonly<Record<Granularity, readonly string[]>> = {
  week: ["naive", "mean_last_4_weeks"],
  month: ["naive", "mean_last_3_months"]
};

/** Plain names of the pipeline's methods (models/forecast/methods.ts); unknown methods show as named. */
export const METHOD_LABELS: Readonly<Record<string, string>> = {
  naive: "Naive (last complete period)",
  mean_last_4_weeks: "Mean of the last 4 weeks",
  mean_last_3_months: "Mean of the last 3 months",
  lag_regression: "Regression on time and the last 3 weeks (the original method)",
  log_ridge_regression: "Ridge regression on log revenue",
  holt_damped: "Holt's damped trend on log revenue",
  combination: "Combination (mean of three methods)"
};

export const methodLabel = (method: string): string => METHOD_LABELS[method] ?? method;

/** Two mean MAPEs closer than this (1 percentage point) are a tie: 8 backtest weeks cannot tell them apart. */
export const TIE_MARGIN = 0.01;

export interface BacktestScore {
  method: string;
  role: Role;
  /** A baseline method, even when it is the published one. */
  baseline: boolean;
  horizon: number;
  /** Backtest targets the method forecast. */
  n: number;
  /** Mean of abs_pct_error (0.124 = 12.4%). */
  mape: number;
  /** Mean |actual − forecast| in pounds. */
  mae: number;
}

/** MAPE and MAE per method and horizon, best first within each horizon. */
export function backtestScores(rows: readonly BacktestRow[], granularity: Granularity): BacktestScore[] {
  const groups = new Map<string, BacktestRow[]>();
  for (const row of rows) {
    if (row.granularity !== granularity || row.forecast === null || row.abs_pct_error === null) continue;
    const key = `${row.horizon}\u0000${row.method}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()]
    .map((group) => {
      const first = group[0]!;
      return {
        method: first.method,
        role: first.role,
        baseline: BASELINE_METHODS[granularity].includes(first.method),
        horizon: first.horizon,
        n: group.length,
        mape: group.reduce((sum, row) => sum + row.abs_pct_error!, 0) / group.length,
        mae: group.reduce((sum, row) => sum + Math.abs(row.actual - row.forecast!), 0) / group.length
      };
    })
    .sort((a, b) => a.horizon - b.horizon || a.mape - b.mape || a.method.localeCompare(b.method));
}

export interface MethodMean {
  method: string;
  /** Mean of the method's MAPE over the backtest horizons (what the pipeline publishes on). */
  mape: number;
}

export interface ForecastVerdict {
  granularity: Granularity;
  horizons: number[];
  published: MethodMean;
  /** The published method is itself a baseline (nothing beat it). */
  publishedIsBaseline: boolean;
  /** The best baseline other than the published method (null if there is none). */
  bestBaseline: MethodMean | null;
  /** The best non-baseline method (what the models achieved), null if none. */
  bestModel: MethodMean | null;
  /** published − bestBaseline mean MAPE (negative: the published method is better). */
  difference: number | null;
  outcome: "beats" | "tie" | "baseline" | "worse" | "none";
  /** One paragraph saying which method is published and whether it beats the baselines. */
  text: string;
  /** Per horizon: the published method's MAPE against the best baseline's. */
  perHorizon: {horizon: number; published: number; baseline: string | null; baselineMape: number | null}[];
}

/** Mean MAPE over the horizons, for methods scored at every horizon. */
function meanMapes(scores: readonly BacktestScore[], horizons: readonly number[]): MethodMean[] {
  const methods = [...new Set(scores.map((score) => score.method))];
  return methods.flatMap((method) => {
    const own = horizons.map((horizon) => scores.find((score) => score.method === method && score.horizon === horizon));
    if (own.some((score) => !score)) return [];
    return [{method, mape: own.reduce((sum, score) => sum + score!.mape, 0) / own.length}];
  });
}

const best = (means: readonly MethodMean[]): MethodMean | null =>
  means.reduce<MethodMean | null>((winner, mean) => (!winner || mean.mape < winner.mape ? mean : winner), null);

/** Which method is published, and whether it beats the baselines, in numbers and in words. */
export function forecastVerdict(scores: readonly BacktestScore[], granularity: Granularity): ForecastVerdict {
  const horizons = [...new Set(scores.map((score) => score.horizon))].sort((a, b) => a - b);
  const means = meanMapes(scores, horizons);
  const publishedMethod = scores.find((score) => score.role === "published")?.method;
  const published = means.find((mean) => mean.method === publishedMethod);
  const unit = granularity === "week" ? "week" : "month";
  const horizonText =
    horizons.length === 1
      ? `${horizons[0]} ${unit}${horizons[0] === 1 ? "" : "s"} ahead`
      : `horizons ${horizons.slice(0, -1).join(", ")} and ${horizons.at(-1)} ${unit}s`;
  if (!published) {
    return {
      granularity,
      horizons,
      published: {method: "none", mape: Number.NaN},
      publishedIsBaseline: false,
      bestBaseline: null,
      bestModel: null,
      difference: null,
      outcome: "none",
      perHorizon: [],
      text: `No ${unit}ly forecast: the backtest has no method that could be used (see the evaluation rows for why).`
    };
  }
  const isBaseline = (method: string) => BASELINE_METHODS[granularity].includes(method);
  const publishedIsBaseline = isBaseline(published.method);
  const bestBaseline = best(means.filter((mean) => isBaseline(mean.method) && mean.method !== published.method));
  const bestModel = best(means.filter((mean) => !isBaseline(mean.method)));
  const difference = bestBaseline ? published.mape - bestBaseline.mape : null;
  const perHorizon = horizons.map((horizon) => {
    const own = scores.find((score) => score.method === published.method && score.horizon === horizon)!;
    const baseline = bestBaseline ? (scores.find((score) => score.method === bestBaseline.method && score.horizon === horizon) ?? null) : null;
    return {horizon, published: own.mape, baseline: baseline?.method ?? null, baselineMape: baseline?.mape ?? null};
  });
  const name = (mean: MethodMean) => `${methodLabel(mean.method)} (${formatPercent(mean.mape)})`;
  let outcome: ForecastVerdict["outcome"];
  let text: string;
  if (publishedIsBaseline) {
    outcome = "baseline";
    text =
      `Used: ${methodLabel(published.method)}, a simple baseline, with a mean MAPE of ${formatPercent(published.mape)} (${horizonText}). ` +
      `No model beat it${bestModel ? `: the best, ${name(bestModel)}, is ${formatPoints(bestModel.mape - published.mape)} worse` : ""}.`;
  } else if (!bestBaseline || difference === null) {
    outcome = "none";
    text = `Used: ${name(published)} (${horizonText}); there is no baseline to compare it with.`;
  } else if (Math.abs(difference) < TIE_MARGIN) {
    outcome = "tie";
    text =
      `Used: ${methodLabel(published.method)}, with a mean MAPE of ${formatPercent(published.mape)} over ${horizonText}, against ${name(bestBaseline)} for the best baseline: ` +
      `effectively a tie — a difference of ${formatPoints(Math.abs(difference))} over ${scores.find((score) => score.method === published.method)?.n ?? 0} backtest ${unit}s is noise. ` +
      `It does not clearly beat the baseline; the baseline is as good a forecast.`;
  } else if (difference < 0) {
    outcome = "beats";
    text = `Used: ${methodLabel(published.method)}, with a mean MAPE of ${formatPercent(published.mape)} over ${horizonText}: it beats the best baseline, ${name(bestBaseline)}, by ${formatPoints(-difference)}.`;
  } else {
    outcome = "worse";
    text = `Used: ${name(published)} over ${horizonText}, worse than the best baseline, ${name(bestBaseline)}, by ${formatPoints(difference)}.`;
  }
  if (bestBaseline && perHorizon.length > 1 && !publishedIsBaseline) {
    text +=
      " " +
      perHorizon
        .map((entry) => {
          const better = entry.baselineMape !== null && entry.published < entry.baselineMape;
          return `${entry.horizon} ${unit}${entry.horizon === 1 ? "" : "s"} ahead ${better ? "it is better" : "the baseline is better"} (${formatPercent(entry.published)} against ${formatPercent(entry.baselineMape)})`;
        })
        .join("; ") +
      ".";
  }
  return {granularity, horizons, published, publishedIsBaseline, bestBaseline, bestModel, difference, outcome, text, perHorizon};
}

/** "0.1 points" of MAPE. */
export function formatPoints(difference: number): string {
  const points = Math.abs(100 * difference);
  return `${points.toFixed(1)} point${points.toFixed(1) === "1.0" ? "" : "s"}`;
}

/** The forecast rows of a granularity, by horizon. */
export function forecastRows(rows: readonly ForecastRow[], granularity: Granularity): ForecastRow[] {
  return rows.filter((row) => row.granularity === granularity && row.kind === "forecast").sort((a, b) => (a.horizon ?? 0) - (b.horizon ?? 0));
}

/** The actual rows of a granularity, in time order. */
export function actualRows(rows: readonly ForecastRow[], granularity: Granularity): ForecastRow[] {
  return rows.filter((row) => row.granularity === granularity && row.kind === "actual").sort((a, b) => a.period_start.getTime() - b.period_start.getTime());
}
