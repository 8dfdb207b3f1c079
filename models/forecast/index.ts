import type {Fitted, Model} from "../dialect.js";
import {notFittedRow} from "../metrics.js";
import {positiveInteger, withDefaults} from "../options.js";
import {
  DEFAULT_FORECAST_OPTIONS,
  forecastSales,
  scoreForecast,
  type ForecastInput,
  type ForecastOptions,
  type GranularityOptions,
  type ForecastResult
} from "./fit.js";

/**
 * Sales forecast in the model dialect (models/dialect.ts). The artefact is the backtested fit of each
 * granularity (published method, forecasts with intervals, backtest); scoring joins today's history, the
 * current partial periods flagged "so far", to the fitted forecasts.
 */
export type ForecastArtefact = ForecastResult & {options: Required<ForecastOptions>};

export interface ForecastScores {
  series: ForecastResult["weekly"]["series"];
  backtest: ForecastResult["weekly"]["backtest"];
}

export const defaults: Readonly<Required<ForecastOptions>> = DEFAULT_FORECAST_OPTIONS;

const granularity = (name: string, value: unknown): GranularityOptions => {
  const options = value as GranularityOptions;
  if (typeof options !== "object" || options === null) throw new Error(`invalid ${name}; not an object: ${String(value)}`);
  positiveInteger(`${name}.horizon`, options.horizon);
  positiveInteger(`${name}.backtestPeriods`, options.backtestPeriods);
  if (!Array.isArray(options.backtestHorizons) || options.backtestHorizons.length === 0) {
    throw new Error(`invalid ${name}.backtestHorizons; not a non-empty list of positive integers: ${JSON.stringify(options.backtestHorizons)}`);
  }
  options.backtestHorizons.forEach((horizon) => positiveInteger(`${name}.backtestHorizons`, horizon));
  return options;
};

export function options(partial?: Partial<ForecastOptions>): Required<ForecastOptions> {
  return withDefaults<ForecastOptions>("forecast", defaults, partial, {
    shutdownMinDays: positiveInteger,
    weeks: granularity,
    months: granularity,
    minIntervalErrors: positiveInteger
  });
}

/** Backtests every method on the fit window's complete periods and forecasts from its end. */
export function fit(data: ForecastInput, partial?: Partial<ForecastOptions>): Fitted<ForecastArtefact> {
  const settings = options(partial);
  const artefact = {...forecastSales(data, settings), options: settings};
  const metrics = [...artefact.weekly.metrics, ...artefact.monthly.metrics];
  if (artefact.weekly.published === "none" && artefact.monthly.published === "none") {
    const why = metrics.filter((row) => row.method === "none").map((row) => row.details);
    metrics.unshift(notFittedRow("forecast", why.join(" ")));
  }
  return {artefact, metrics};
}

export function score(artefact: ForecastArtefact, today: ForecastInput): ForecastScores {
  const {weekly, monthly} = scoreForecast(artefact, today, artefact.options);
  return {
    series: [...weekly.series, ...monthly.series],
    backtest: [...weekly.backtest, ...monthly.backtest]
  };
}

export const forecastModel = {name: "forecast", defaults, options, fit, score} satisfies Model<
  ForecastInput,
  ForecastOptions,
  ForecastArtefact,
  ForecastInput,
  ForecastScores
>;
