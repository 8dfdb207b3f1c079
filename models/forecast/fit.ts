import {accuracy, interval, logErrorSpread, rollingForecasts, scoredForecasts, type ScoredForecast} from "./backtest.js";
import type {MetricRow, Role} from "../metrics.js";
import {standardMethods, type Method} from "./methods.js";
import {buildSeries, findShutdowns, nextPeriod, periodEnd, type Granularity, type PeriodSeries, type Shutdown} from "./series.js";

/**
 * Sales forecasting: weekly and monthly revenue, every method backtested by rolling origin on the last
 * complete periods, the best one published with intervals. Runs in a worker (`inWorker`).
 */

export interface PeriodInput {
  /** First day (ISO) and revenue of each period with sales. */
  starts: string[];
  values: Float64Array;
  /** Periods the data does not wholly cover (first days, ISO). */
  uncovered: string[];
}

export interface ForecastInput {
  weekly: PeriodInput;
  monthly: PeriodInput;
  /** Days with at least one sale (ISO), to find shutdowns. */
  tradingDays: string[];
}

export interface GranularityOptions {
  /** Periods forecast after the last complete one. */
  horizon: number;
  /** The backtest's targets: this many last complete periods. */
  backtestPeriods: number;
  /** Horizons the backtest scores (and the published method is chosen on, by mean MAPE). */
  backtestHorizons: number[];
}

export interface ForecastOptions {
  /** Shortest run of days without a sale that counts as a shutdown (flags the weeks it touches). Default: 7. */
  shutdownMinDays?: number;
  /** Default: next 4 weeks; backtest on the last 8 complete weeks at horizons 1 and 4. */
  weeks?: GranularityOptions;
  /**
   * Default: next 3 months; backtest on the last 3 complete months at horizon 1 (a year of data leaves too
   * few months to fit the lag regression further ahead).
   */
  months?: GranularityOptions;
  /** Fewest past errors at a horizon to publish an interval. Default: 5. */
  minIntervalErrors?: number;
}

export const DEFAULT_FORECAST_OPTIONS = {
  shutdownMinDays: 7,
  weeks: {horizon: 4, backtestPeriods: 8, backtestHorizons: [1, 4]},
  months: {horizon: 3, backtestPeriods: 3, backtestHorizons: [1]},
  minIntervalErrors: 5
} as const satisfies Required<ForecastOptions>;

export interface SeriesRow {
  granularity: Granularity;
  period_start: string;
  period_end: string;
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

export interface BacktestRow {
  granularity: Granularity;
  method: string;
  role: Role;
  horizon: number;
  origin_start: string;
  target_start: string;
  actual: number;
  forecast: number | null;
  abs_pct_error: number | null;
  lower_80: number | null;
  upper_80: number | null;
}

export interface GranularityResult {
  granularity: Granularity;
  published: string;
  shutdowns: Shutdown[];
  series: SeriesRow[];
  backtest: BacktestRow[];
  metrics: MetricRow[];
}

export interface ForecastResult {
  weekly: GranularityResult;
  monthly: GranularityResult;
}

export function forecastSales(input: ForecastInput, options: ForecastOptions = {}): ForecastResult {
  const settings = {...DEFAULT_FORECAST_OPTIONS, ...options};
  validate("weeks", settings.weeks);
  validate("months", settings.months);
  const shutdowns = findShutdowns(input.tradingDays, settings.shutdownMinDays);
  const empty = (granularity: Granularity): GranularityResult =>
    notEvaluated({granularity, starts: [], values: new Float64Array(0), partial: []}, [], "no sales");
  return {
    weekly: input.weekly.starts.length
      ? forecastSeries(buildSeries({granularity: "week", ...input.weekly, shutdowns}), settings.weeks, settings.minIntervalErrors, shutdowns)
      : empty("week"),
    // A month is long enough that a closing is part of its normal pattern (every December has one): only
    // months the data does not wholly cover are partial.
    monthly: input.monthly.starts.length
      ? forecastSeries(buildSeries({granularity: "month", ...input.monthly}), settings.months, settings.minIntervalErrors, [])
      : empty("month")
  };
}

/**
 * Scoring with a fitted forecast: today's history (every period of `input`, the current partial ones
 * flagged, "so far") with the fit's forecasts, backtest and metrics. The fit was made on the data through
 * the end of the last complete period; a new day inside the current period changes only the history.
 */
export function scoreForecast(fit: ForecastResult, input: ForecastInput, options: ForecastOptions = {}): ForecastResult {
  const settings = {...DEFAULT_FORECAST_OPTIONS, ...options};
  const shutdowns = findShutdowns(input.tradingDays, settings.shutdownMinDays);
  const history = (granularity: Granularity, period: PeriodInput, periodShutdowns: Shutdown[]) =>
    period.starts.length ? actualRows(buildSeries({granularity, ...period, shutdowns: periodShutdowns})) : [];
  const merge = (fitted: GranularityResult, actual: SeriesRow[]): GranularityResult => ({
    ...fitted,
    series: [...actual, ...fitted.series.filter((row) => row.kind === "forecast")]
  });
  return {
    weekly: merge(fit.weekly, history("week", input.weekly, shutdowns)),
    monthly: merge(fit.monthly, history("month", input.monthly, []))
  };
}

/** The history alone, and a metric row saying why nothing was forecast. */
function notEvaluated(series: PeriodSeries, shutdowns: Shutdown[], why: string): GranularityResult {
  return {
    granularity: series.granularity,
    published: "none",
    shutdowns,
    series: actualRows(series),
    backtest: [],
    metrics: [
      {
        model: "forecast",
        method: "none",
        role: "published",
        metric: `not_evaluated_${series.granularity}ly`,
        split: "none",
        value: null,
        n: 0,
        details: `No ${series.granularity}ly forecast: ${why}.`
      }
    ]
  };
}

function actualRows(series: PeriodSeries): SeriesRow[] {
  return series.starts.map((start, i) => ({
    granularity: series.granularity,
    period_start: start,
    period_end: periodEnd(series.granularity, start),
    kind: "actual",
    horizon: null,
    revenue: series.values[i],
    is_partial: series.partial[i] !== null,
    partial_reason: series.partial[i],
    forecast: null,
    lower_80: null,
    upper_80: null,
    lower_95: null,
    upper_95: null,
    method: null,
    note: null
  }));
}

function validate(name: string, {horizon, backtestPeriods, backtestHorizons}: GranularityOptions) {
  for (const [key, value] of [
    ["horizon", horizon],
    ["backtestPeriods", backtestPeriods],
    ...backtestHorizons.map((h) => ["backtestHorizons", h] as const)
  ] as const) {
    if (!Number.isInteger(value) || (value as number) < 1) throw new Error(`invalid ${name}.${key}; not a positive integer: ${JSON.stringify(value)}`);
  }
  if (backtestHorizons.length === 0) throw new Error(`invalid ${name}.backtestHorizons; empty`);
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function forecastSeries(series: PeriodSeries, options: GranularityOptions, minIntervalErrors: number, shutdowns: Shutdown[]): GranularityResult {
  const unit = series.granularity;
  const methods = standardMethods(unit);
  const complete = series.partial.flatMap((reason, i) => (reason === null ? [i] : []));
  if (complete.length < options.backtestPeriods + 4) {
    return notEvaluated(
      series,
      shutdowns,
      `${complete.length} complete ${unit}s, and a backtest on the last ${options.backtestPeriods} needs at least ${options.backtestPeriods + 4}`
    );
  }
  const finalOrigin = complete[complete.length - 1];
  const targets = complete.slice(-options.backtestPeriods);
  const maxHorizon = Math.max(options.horizon, ...options.backtestHorizons);

  // Every method from every origin: the backtest and the intervals both come from these.
  const scored = new Map<Method, ScoredForecast[]>();
  const finals = new Map<Method, number[]>();
  for (const method of methods) {
    const rolling = rollingForecasts(series, method, 0, finalOrigin, maxHorizon);
    scored.set(method, scoredForecasts(series, rolling));
    finals.set(method, rolling[rolling.length - 1].values);
  }

  const split = (horizon: number) =>
    `rolling origin: last ${options.backtestPeriods} complete ${unit}s (${series.starts[targets[0]]} to ${series.starts[targets[targets.length - 1]]}), horizon ${horizon} ${unit}${horizon > 1 ? "s" : ""}`;
  const scores = methods.map((method) => {
    const byHorizon = options.backtestHorizons.map((horizon) => {
      const items = targets.map((target) => {
        const found = scored.get(method)!.find((item) => item.target === target && item.horizon === horizon);
        const spread = logErrorSpread(scored.get(method)!, horizon, target - horizon, minIntervalErrors);
        return {target, horizon, actual: series.values[target], forecast: found?.forecast ?? Number.NaN, spread};
      });
      const made = items.filter((item) => Number.isFinite(item.forecast));
      return {horizon, items, made, ...accuracy(made)};
    });
    const completeBacktest = byHorizon.every((entry) => entry.made.length === targets.length);
    const meanMape = byHorizon.reduce((sum, entry) => sum + entry.mape, 0) / byHorizon.length;
    return {method, byHorizon, completeBacktest, meanMape};
  });
  // The published method: the lowest mean MAPE over the backtest horizons among methods that forecast
  // every target; ties go to the earlier (simpler) method.
  const eligible = scores.filter((score) => score.completeBacktest);
  if (eligible.length === 0) return notEvaluated(series, shutdowns, "no method could forecast every backtest target");
  const best = eligible.reduce((winner, score) => (score.meanMape < winner.meanMape ? score : winner));
  const baselines = scores.filter((score) => score.method.role === "baseline" && score.completeBacktest);
  const bestBaseline = baselines.reduce((winner, score) => (score.meanMape < winner.meanMape ? score : winner), baselines[0]);
  const roleOf = (method: Method): Role => (method === best.method ? "published" : method.role);

  const backtest: BacktestRow[] = [];
  const metrics: MetricRow[] = [];
  for (const score of scores) {
    for (const entry of score.byHorizon) {
      for (const item of entry.items) {
        const [lower, upper] = Number.isFinite(item.forecast) ? interval(item.forecast, item.spread, 80) : [Number.NaN, Number.NaN];
        backtest.push({
          granularity: unit,
          method: score.method.name,
          role: roleOf(score.method),
          horizon: entry.horizon,
          origin_start: series.starts[item.target - entry.horizon],
          target_start: series.starts[item.target],
          actual: item.actual,
          forecast: Number.isFinite(item.forecast) ? item.forecast : null,
          abs_pct_error: Number.isFinite(item.forecast) ? Math.abs(item.actual - item.forecast) / item.actual : null,
          lower_80: Number.isFinite(lower) ? lower : null,
          upper_80: Number.isFinite(upper) ? upper : null
        });
      }
      const verdict = verdictOf(score, entry.horizon, best, bestBaseline);
      const common = {model: "forecast", method: score.method.name, role: roleOf(score.method), split: split(entry.horizon), n: entry.made.length};
      const missing =
        entry.made.length < targets.length ? ` Forecast ${entry.made.length} of ${targets.length} targets (too little history for the rest).` : "";
      metrics.push({
        ...common,
        metric: `mape_${unit}ly`,
        value: entry.made.length ? entry.mape : null,
        details: `${percent(entry.mape)} (${score.method.description}). ${verdict}${missing}`
      });
      metrics.push({
        ...common,
        metric: `mae_${unit}ly`,
        value: entry.made.length ? entry.mae : null,
        details: `£${Math.round(entry.mae).toLocaleString("en-GB")} mean absolute error.${missing}`
      });
      if (score.method === best.method) {
        const covered = entry.items.filter((item) => Number.isFinite(item.spread));
        const inside = covered.filter((item) => {
          const [lower, upper] = interval(item.forecast, item.spread, 80);
          return item.actual >= lower && item.actual <= upper;
        });
        metrics.push({
          ...common,
          metric: `interval_80_coverage_${unit}ly`,
          value: covered.length ? inside.length / covered.length : null,
          n: covered.length,
          details: `Share of backtest actuals inside the 80% interval (built from errors known at each origin); ${inside.length} of ${covered.length}.`
        });
      }
    }
  }

  // The published forecast: the best method from the last complete period, with intervals from all its past errors.
  const rows = actualRows(series);
  const final = finals.get(best.method)!;
  let start = series.starts[finalOrigin];
  for (let horizon = 1; horizon <= options.horizon; horizon++) {
    start = nextPeriod(unit, start);
    const position = finalOrigin + horizon;
    const spread = logErrorSpread(scored.get(best.method)!, horizon, finalOrigin, minIntervalErrors);
    const forecast = final[horizon - 1];
    const [lower80, upper80] = interval(forecast, spread, 80);
    const [lower95, upper95] = interval(forecast, spread, 95);
    const sofar = position < series.starts.length ? series.values[position] : null;
    const notes: string[] = [];
    if (sofar !== null) notes.push(`the data covers part of this ${unit} so far: £${Math.round(sofar).toLocaleString("en-GB")}`);
    const yearEarlier = unit === "week" ? position - 52 : position - 12;
    const closing = shutdowns.find((shutdown) => yearEarlier >= 0 && series.partial[yearEarlier]?.includes(shutdown.first));
    if (closing) notes.push(`a year earlier the shop was closed from ${closing.first} to ${closing.last}; this forecast assumes normal trading`);
    else if (yearEarlier >= 0 && series.partial[yearEarlier] === null) {
      notes.push(
        `a year earlier: £${Math.round(series.values[yearEarlier]).toLocaleString("en-GB")} (one year of data is too little to learn yearly seasonality)`
      );
    }
    rows.push({
      granularity: unit,
      period_start: start,
      period_end: periodEnd(unit, start),
      kind: "forecast",
      horizon,
      revenue: sofar,
      is_partial: sofar !== null,
      partial_reason: sofar !== null ? series.partial[position] : null,
      forecast,
      lower_80: lower80,
      upper_80: upper80,
      lower_95: lower95,
      upper_95: upper95,
      method: best.method.name,
      note: notes.length ? notes.join("; ") : null
    });
  }
  return {granularity: unit, published: best.method.name, shutdowns, series: rows, backtest, metrics};
}

type Score = {method: Method; byHorizon: {horizon: number; mape: number}[]; meanMape: number; completeBacktest: boolean};

function verdictOf(score: Score, horizon: number, best: Score, bestBaseline: Score | undefined): string {
  const mape = score.byHorizon.find((entry) => entry.horizon === horizon)!.mape;
  const chosen = `Published: lowest mean MAPE over the backtest horizons (${percent(best.meanMape)}).`;
  if (score.method.role === "baseline") {
    if (score === best) return `${chosen} A baseline: no model beat it.`;
    return "Baseline.";
  }
  if (!bestBaseline) return score === best ? chosen : "";
  const baseline = bestBaseline.byHorizon.find((entry) => entry.horizon === horizon)!.mape;
  const comparison = mape < baseline ? `beats` : `does not beat`;
  const text = `At this horizon it ${comparison} the best baseline, ${bestBaseline.method.name} (${percent(baseline)}).`;
  return score === best ? `${chosen} ${text}` : text;
}
