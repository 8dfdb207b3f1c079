import {fitLinear, predictLinear} from "./regression.js";

/**
 * Forecasting methods. Each sees only the complete periods up to its origin (partial periods are left
 * out of the history entirely, so a lag is "the previous complete period") and forecasts the next
 * `horizon` calendar periods. They return NaN where they cannot fit (too little history).
 */

/** The complete periods known at the origin: calendar positions (ascending) and revenue. */
export interface History {
  index: readonly number[];
  values: readonly number[];
}

export interface Method {
  name: string;
  role: "baseline" | "candidate";
  description: string;
  /** Forecasts for calendar positions origin + 1 … origin + horizon. */
  forecast(history: History, origin: number, horizon: number): number[];
}

const nans = (n: number) => Array.from({length: n}, () => Number.NaN);

/** The last complete value, repeated. */
export function naive(): Method {
  return {
    name: "naive",
    role: "baseline",
    description: "the last complete period's revenue",
    forecast: ({values}, _origin, horizon) => (values.length === 0 ? nans(horizon) : Array(horizon).fill(values[values.length - 1]))
  };
}

/** The mean of the last `k` complete values, repeated. */
export function meanOfLast(k: number, unit: string): Method {
  if (!Number.isInteger(k) || k < 1) throw new Error(`invalid k; not a positive integer: ${k}`);
  return {
    name: `mean_last_${k}_${unit}s`,
    role: "baseline",
    description: `the mean of the last ${k} complete ${unit}s`,
    forecast: ({values}, _origin, horizon) => {
      if (values.length < k) return nans(horizon);
      const mean = values.slice(-k).reduce((sum, value) => sum + value, 0) / k;
      return Array(horizon).fill(mean);
    }
  };
}

export interface LagRegressionOptions {
  /** Lags 1…lags of the previous complete values as features. Default: 3. */
  lags?: number;
  /** Include the calendar position (a linear trend). Default: true. */
  trend?: boolean;
  /** Fit log(revenue) and exponentiate the forecast. Default: false. */
  log?: boolean;
  /** Ridge penalty on the standardised features (0 = ordinary least squares). Default: 0. */
  lambda?: number;
}

/**
 * Linear regression of revenue on the calendar position and lags 1–3 (the seed's method), forecasting
 * recursively (each forecast becomes a lag of the next). Options add a log scale and ridge
 * regularisation on standardised features.
 */
export function lagRegression(name: string, description: string, {lags = 3, trend = true, log = false, lambda = 0}: LagRegressionOptions = {}): Method {
  if (!Number.isInteger(lags) || lags < 1) throw new Error(`invalid lags; not a positive integer: ${lags}`);
  const to = log ? Math.log : (value: number) => value;
  const from = log ? Math.exp : (value: number) => value;
  const features = (position: number, series: readonly number[], at: number) => {
    const row = trend ? [position] : [];
    for (let lag = 1; lag <= lags; lag++) row.push(series[at - lag]);
    return row;
  };
  return {
    name,
    role: "candidate",
    description,
    forecast: ({index, values}, origin, horizon) => {
      if (log && values.some((value) => !(value > 0))) return nans(horizon);
      const series = values.map(to);
      const rows: number[][] = [];
      const targets: number[] = [];
      for (let at = lags; at < series.length; at++) {
        rows.push(features(index[at], series, at));
        targets.push(series[at]);
      }
      const width = lags + (trend ? 1 : 0);
      if (rows.length < width + 2) return nans(horizon);
      // Standardise the features so a ridge penalty treats them alike (it changes nothing when lambda = 0).
      const mean = Array.from({length: width}, (_, j) => rows.reduce((sum, row) => sum + row[j], 0) / rows.length);
      const scale = Array.from({length: width}, (_, j) => Math.sqrt(rows.reduce((sum, row) => sum + (row[j] - mean[j]) ** 2, 0) / rows.length) || 1);
      const design = (row: number[]) => [1, ...row.map((value, j) => (value - mean[j]) / scale[j])];
      const fit = fitLinear(rows.map(design), targets, {lambda});
      const extended = [...series];
      const out: number[] = [];
      for (let step = 1; step <= horizon; step++) {
        const value = predictLinear(fit.coefficients, design(features(origin + step, extended, extended.length)));
        extended.push(value);
        out.push(from(value));
      }
      return out;
    }
  };
}

export interface HoltOptions {
  /** Smoothing weights tried for the level. Default: 0.05, 0.10, …, 0.95. */
  alphas?: readonly number[];
  /** Smoothing weights tried for the trend. Default: 0, 0.05, 0.1, 0.2, 0.3. */
  betas?: readonly number[];
  /** Trend damping factors tried. Default: 0.8, 0.9, 0.95, 0.98, 1. */
  phis?: readonly number[];
  /** Values used to initialise before one-step errors count. Default: 3. */
  warmup?: number;
}

const DEFAULT_ALPHAS = Array.from({length: 19}, (_, i) => Math.round((i + 1) * 5) / 100);

/**
 * Holt's linear exponential smoothing with a damped trend on log revenue. Its three parameters are chosen
 * on the history alone, by the smallest sum of squared one-step-ahead errors over a grid.
 */
export function holtDamped({
  alphas = DEFAULT_ALPHAS,
  betas = [0, 0.05, 0.1, 0.2, 0.3],
  phis = [0.8, 0.9, 0.95, 0.98, 1],
  warmup = 3
}: HoltOptions = {}): Method {
  return {
    name: "holt_damped",
    role: "candidate",
    description: "Holt's damped-trend exponential smoothing on log revenue, parameters fitted on the history",
    forecast: ({values}, _origin, horizon) => {
      if (values.length < warmup + 3 || values.some((value) => !(value > 0))) return nans(horizon);
      const series = values.map(Math.log);
      let best = {sse: Number.POSITIVE_INFINITY, level: 0, trend: 0, phi: 1};
      for (const alpha of alphas) {
        for (const beta of betas) {
          for (const phi of phis) {
            let level = series[0];
            let trend = 0;
            let sse = 0;
            for (let t = 1; t < series.length; t++) {
              const predicted = level + phi * trend;
              if (t > warmup) sse += (series[t] - predicted) ** 2;
              const previous = level;
              level = alpha * series[t] + (1 - alpha) * predicted;
              trend = beta * (level - previous) + (1 - beta) * phi * trend;
            }
            if (sse < best.sse) best = {sse, level, trend, phi};
          }
        }
      }
      const out: number[] = [];
      let damping = 0;
      for (let step = 1; step <= horizon; step++) {
        damping += best.phi ** step;
        out.push(Math.exp(best.level + damping * best.trend));
      }
      return out;
    }
  };
}

/** The mean of several methods' forecasts (a forecast combination). */
export function combination(name: string, parts: readonly Method[]): Method {
  return {
    name,
    role: "candidate",
    description: `the mean of ${parts.map((part) => part.name).join(", ")}`,
    forecast: (history, origin, horizon) => {
      const forecasts = parts.map((part) => part.forecast(history, origin, horizon));
      return Array.from({length: horizon}, (_, step) => forecasts.reduce((sum, forecast) => sum + forecast[step], 0) / parts.length);
    }
  };
}

/**
 * The same method, remembering its forecasts by origin, horizon and history length: a fresh set per
 * series (there the history is a function of the origin), so a combination does not fit its parts twice.
 */
export function memoized(method: Method): Method {
  const cache = new Map<string, number[]>();
  return {
    ...method,
    forecast: (history, origin, horizon) => {
      const key = `${origin}:${horizon}:${history.values.length}`;
      let values = cache.get(key);
      if (!values) cache.set(key, (values = method.forecast(history, origin, horizon)));
      return values;
    }
  };
}

/** The methods compared for a granularity: two baselines, the seed's regression and three candidates. */
export function standardMethods(unit: "week" | "month"): Method[] {
  const window = unit === "week" ? 4 : 3;
  const mean = memoized(meanOfLast(window, unit));
  const seed = memoized(lagRegression("lag_regression", "linear regression on the time index and lags 1–3 (the seed's method), complete periods only"));
  const holt = memoized(holtDamped());
  return [
    naive(),
    mean,
    seed,
    lagRegression("log_ridge_regression", "ridge regression (λ = 1, standardised features) of log revenue on the time index and lags 1–3", {
      log: true,
      lambda: 1
    }),
    holt,
    combination("combination", [mean, seed, holt])
  ];
}
