import type {History, Method} from "./methods.js";
import type {PeriodSeries} from "./series.js";

/** Forecasts of one method from one origin, for horizons 1 … maxHorizon (index 0 = horizon 1). */
export interface OriginForecast {
  origin: number;
  values: number[];
}

/** The complete periods at or before calendar position `origin`. */
export function historyAt(series: PeriodSeries, origin: number): History {
  const index: number[] = [];
  const values: number[] = [];
  for (let i = 0; i <= origin && i < series.starts.length; i++) {
    if (series.partial[i] === null) {
      index.push(i);
      values.push(series.values[i]);
    }
  }
  return {index, values};
}

/**
 * Forecasts from every origin (calendar position) from `firstOrigin` to `lastOrigin`, each using only the
 * complete periods up to that origin: the raw material of the backtest and of the intervals.
 */
export function rollingForecasts(series: PeriodSeries, method: Method, firstOrigin: number, lastOrigin: number, maxHorizon: number): OriginForecast[] {
  const out: OriginForecast[] = [];
  for (let origin = Math.max(0, firstOrigin); origin <= lastOrigin; origin++) {
    out.push({origin, values: method.forecast(historyAt(series, origin), origin, maxHorizon)});
  }
  return out;
}

/** One forecast scored against a complete period. */
export interface ScoredForecast {
  origin: number;
  target: number;
  horizon: number;
  actual: number;
  forecast: number;
  /** log(actual / forecast): the error the intervals are built from. */
  logError: number;
}

/** Every forecast in `rolling` whose target is a complete period with positive revenue. */
export function scoredForecasts(series: PeriodSeries, rolling: readonly OriginForecast[]): ScoredForecast[] {
  const out: ScoredForecast[] = [];
  for (const {origin, values} of rolling) {
    values.forEach((forecast, step) => {
      const target = origin + step + 1;
      if (target >= series.starts.length || series.partial[target] !== null || !Number.isFinite(forecast)) return;
      const actual = series.values[target];
      if (!(actual > 0)) return;
      out.push({origin, target, horizon: step + 1, actual, forecast, logError: forecast > 0 ? Math.log(actual / forecast) : Number.NaN});
    });
  }
  return out;
}

/**
 * The spread of log errors at `horizon` from forecasts whose target was known by `asOf` (so an interval
 * never uses the errors it is judged on): root mean square, or NaN with fewer than `minErrors` errors.
 */
export function logErrorSpread(scored: readonly ScoredForecast[], horizon: number, asOf: number, minErrors = 5): number {
  let sum = 0;
  let n = 0;
  for (const item of scored) {
    if (item.horizon === horizon && item.target <= asOf && Number.isFinite(item.logError)) {
      sum += item.logError ** 2;
      n++;
    }
  }
  return n >= minErrors ? Math.sqrt(sum / n) : Number.NaN;
}

/** Standard normal quantiles of the central intervals published. */
export const INTERVAL_Z = {80: 1.2815515655446004, 95: 1.959963984540054} as const;

export function interval(forecast: number, spread: number, level: 80 | 95): [number, number] {
  if (!Number.isFinite(spread)) return [Number.NaN, Number.NaN];
  const factor = Math.exp(INTERVAL_Z[level] * spread);
  return [forecast / factor, forecast * factor];
}

/** Mean absolute percentage error (a fraction: 0.12 = 12%) and mean absolute error. */
export function accuracy(items: readonly {actual: number; forecast: number}[]): {mape: number; mae: number; n: number} {
  let ape = 0;
  let ae = 0;
  for (const {actual, forecast} of items) {
    ape += Math.abs(actual - forecast) / actual;
    ae += Math.abs(actual - forecast);
  }
  return {mape: ape / items.length, mae: ae / items.length, n: items.length};
}
