/**
 * Past forecasts against what happened: the backtest's forecasts of the method used on the site, by target
 * period and horizon, beside the actual revenue. Pure (unit-tested).
 */
import type {BacktestRow, Granularity} from "./forecast.js";

export interface PastForecast {
  target_start: Date;
  horizon: number;
  actual: number;
  forecast: number;
  /** forecast / actual − 1 (0.1 = 10% too high). */
  error: number;
}

/** The published method's backtest forecasts of one granularity, oldest target first, then by horizon. */
export function pastForecasts(rows: readonly BacktestRow[], granularity: Granularity): PastForecast[] {
  return rows
    .filter((row) => row.granularity === granularity && row.role === "published" && row.forecast !== null)
    .map((row) => ({target_start: row.target_start, horizon: row.horizon, actual: row.actual, forecast: row.forecast!, error: row.forecast! / row.actual - 1}))
    .sort((a, b) => +a.target_start - +b.target_start || a.horizon - b.horizon);
}
