import {describe, expect, it} from "vitest";
import {historyAt, rollingForecasts} from "../../../models/forecast/backtest.js";
import {forecastSales, forecastSeries} from "../../../models/forecast/fit.js";
import {holtDamped, lagRegression, meanOfLast, naive} from "../../../models/forecast/methods.js";
import {fitLinear} from "../../../models/forecast/regression.js";
import {buildSeries, findShutdowns, isoDay, dayNumber} from "../../../models/forecast/series.js";

const weeks = (count: number, from = "2011-01-03") => Array.from({length: count}, (_, i) => isoDay(dayNumber(from) + 7 * i));

describe("linear regression", () => {
  it("recovers the coefficients of an exact linear series", () => {
    const rows = Array.from({length: 10}, (_, t) => [1, t, (t * t) % 7]);
    const targets = rows.map(([, t, s]) => 3 + 2 * t - 0.5 * s);
    const fit = fitLinear(rows, targets);
    expect(fit.coefficients[0]).toBeCloseTo(3, 9);
    expect(fit.coefficients[1]).toBeCloseTo(2, 9);
    expect(fit.coefficients[2]).toBeCloseTo(-0.5, 9);
    expect(fit.sigma).toBeCloseTo(0, 9);
  });

  it("shrinks towards zero with a ridge penalty but leaves the intercept alone", () => {
    const rows = Array.from({length: 6}, (_, t) => [1, t]);
    const fit = fitLinear(
      rows,
      rows.map(([, t]) => 5),
      {lambda: 1000}
    );
    expect(fit.coefficients[0]).toBeCloseTo(5, 9);
    expect(fit.coefficients[1]).toBeCloseTo(0, 9);
  });

  it("rejects a bad penalty, naming it", () => {
    expect(() => fitLinear([[1]], [1], {lambda: -1})).toThrow("invalid lambda; not a non-negative number: -1");
  });

  it("the seed's lag regression continues an exact linear trend exactly", () => {
    const values = Array.from({length: 20}, (_, t) => 100 + 10 * t);
    const method = lagRegression("lag_regression", "test");
    const forecast = method.forecast({index: values.map((_, t) => t), values}, 19, 4);
    forecast.forEach((value, step) => expect(value).toBeCloseTo(100 + 10 * (20 + step), 6));
  });
});

describe("baselines", () => {
  const history = {index: [0, 1, 2, 3, 4], values: [10, 20, 30, 40, 50]};
  it("naive repeats the last value; the mean of the last k repeats their mean", () => {
    expect(naive().forecast(history, 4, 2)).toEqual([50, 50]);
    expect(meanOfLast(4, "week").forecast(history, 4, 3)).toEqual([35, 35, 35]);
    expect(meanOfLast(4, "week").name).toBe("mean_last_4_weeks");
    expect(() => meanOfLast(0, "week")).toThrow("invalid k; not a positive integer: 0");
  });

  it("Holt's method follows a constant exponential growth", () => {
    const values = Array.from({length: 30}, (_, t) => 1000 * 1.05 ** t);
    const [next] = holtDamped().forecast({index: values.map((_, t) => t), values}, 29, 1);
    expect(next / (1000 * 1.05 ** 30)).toBeCloseTo(1, 2);
  });
});

describe("series and partial periods", () => {
  it("finds shutdowns of at least a week and flags the weeks they touch, filling weeks without sales", () => {
    const days = ["2010-12-20", "2010-12-21", "2010-12-23", "2011-01-04", "2011-01-05", "2011-01-10"];
    expect(findShutdowns(days, 7)).toEqual([{first: "2010-12-24", last: "2011-01-03", days: 11}]);
    expect(findShutdowns(days, 12)).toEqual([]);
    expect(() => findShutdowns(days, 0)).toThrow("invalid minDays; not a positive integer: 0");
    const series = buildSeries({
      granularity: "week",
      starts: ["2010-12-13", "2010-12-20", "2011-01-03", "2011-01-10"],
      values: [5, 4, 3, 2],
      uncovered: ["2010-12-13"],
      shutdowns: findShutdowns(days, 7)
    });
    expect(series.starts).toEqual(["2010-12-13", "2010-12-20", "2010-12-27", "2011-01-03", "2011-01-10"]);
    expect(Array.from(series.values)).toEqual([5, 4, 0, 3, 2]);
    expect(series.partial).toEqual([
      "not wholly covered by the data",
      "shutdown: no sales from 2010-12-24 to 2011-01-03",
      "shutdown: no sales from 2010-12-24 to 2011-01-03",
      "shutdown: no sales from 2010-12-24 to 2011-01-03",
      null
    ]);
  });

  it("never uses a partial period as a training or evaluation target", () => {
    const starts = weeks(30);
    const values = Float64Array.from(starts, (_, t) => 1000 + 20 * t + (t % 3) * 15);
    const partial = (last: number) =>
      forecastSeries(
        buildSeries({
          granularity: "week",
          starts,
          values: Float64Array.from(values, (value, t) => (t === 29 ? last : t === 12 ? 1 : value)),
          uncovered: [starts[29]],
          shutdowns: [{first: "2011-03-28", last: "2011-04-03", days: 7}]
        }),
        {horizon: 4, backtestPeriods: 8, backtestHorizons: [1, 4]},
        5,
        []
      );
    const small = partial(10);
    const huge = partial(1e9);
    // Week 12 (2011-03-28, a shutdown week with revenue 1) and the last week (partial) change nothing.
    expect(small.backtest.map((row) => row.forecast)).toEqual(huge.backtest.map((row) => row.forecast));
    expect(small.series.filter((row) => row.kind === "forecast").map((row) => row.forecast)).toEqual(
      huge.series.filter((row) => row.kind === "forecast").map((row) => row.forecast)
    );
    expect(small.backtest.some((row) => row.target_start === starts[29] || row.target_start === starts[12])).toBe(false);
    // The history at the last origin leaves the partial week out.
    expect(historyAt(buildSeries({granularity: "week", starts, values, uncovered: [starts[29]]}), 29).index).toEqual(Array.from({length: 29}, (_, t) => t));
  });

  it("publishes the method with the lowest mean backtest MAPE, and says when it is a baseline", () => {
    // A flat series with noise: nothing beats the mean of the last 4 weeks by much, and the choice must follow the table.
    const starts = weeks(40);
    const values = Float64Array.from(starts, (_, t) => 1000 + [30, -20, 10, -40, 25][t % 5]);
    const result = forecastSeries(
      buildSeries({granularity: "week", starts, values, uncovered: []}),
      {horizon: 4, backtestPeriods: 8, backtestHorizons: [1, 4]},
      5,
      []
    );
    const mape = new Map<string, number[]>();
    for (const row of result.metrics.filter((row) => row.metric === "mape_weekly")) mape.set(row.method, [...(mape.get(row.method) ?? []), row.value!]);
    const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
    const best = Math.min(...[...mape.values()].map(mean));
    expect(mean(mape.get(result.published)!)).toBe(best);
    const forecasts = result.series.filter((row) => row.kind === "forecast");
    expect(forecasts.map((row) => row.period_start)).toEqual(weeks(4, isoDay(dayNumber(starts[39]) + 7)));
    for (const row of forecasts) {
      expect(row.lower_95!).toBeLessThan(row.lower_80!);
      expect(row.lower_80!).toBeLessThan(row.forecast!);
      expect(row.forecast!).toBeLessThan(row.upper_80!);
      expect(row.upper_80!).toBeLessThan(row.upper_95!);
    }
  });

  it("rolls origins forward using only what each origin knew", () => {
    const starts = weeks(12);
    const series = buildSeries({granularity: "week", starts, values: Float64Array.from(starts, (_, t) => t + 1), uncovered: []});
    const rolling = rollingForecasts(series, naive(), 3, 10, 2);
    expect(rolling.map((entry) => entry.values)).toEqual(Array.from({length: 8}, (_, k) => [k + 4, k + 4]));
  });

  it("rejects bad options, showing the value", () => {
    const input = {
      weekly: {starts: weeks(30), values: new Float64Array(30).fill(1), uncovered: []},
      monthly: {starts: [], values: new Float64Array(0), uncovered: []},
      tradingDays: ["2011-01-03"]
    };
    expect(() => forecastSales(input, {weeks: {horizon: 0, backtestPeriods: 8, backtestHorizons: [1]}})).toThrow(
      "invalid weeks.horizon; not a positive integer: 0"
    );
  });
});

describe("too little history", () => {
  it("publishes the history without a forecast and says why, instead of failing the run", () => {
    const starts = weeks(5);
    const result = forecastSales({
      weekly: {starts, values: new Float64Array(5).fill(100), uncovered: [starts[4]]},
      monthly: {starts: [], values: new Float64Array(0), uncovered: []},
      tradingDays: ["2011-01-03"]
    });
    expect(result.weekly.series.map((row) => row.kind)).toEqual(["actual", "actual", "actual", "actual", "actual"]);
    expect(result.weekly.metrics).toEqual([
      expect.objectContaining({
        metric: "not_evaluated_weekly",
        value: null,
        details: "No weekly forecast: 4 complete weeks, and a backtest on the last 8 needs at least 12."
      })
    ]);
    expect(result.monthly.series).toEqual([]);
    expect(result.monthly.metrics[0].details).toBe("No monthly forecast: no sales.");
  });
});
