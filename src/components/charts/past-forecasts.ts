import * as Plot from "../vendor/plot.js";
import type {Granularity} from "../forecast.js";
import type {PastForecast} from "../forecast-history.js";
import {formatMoney, formatPercent, formatPeriod} from "../format.js";
import {chartWidth, figure} from "./figure.js";

/** What each past forecast said (one series per horizon) against the revenue that came, with a legend. */
export function pastForecastsChart(
  rows: readonly PastForecast[],
  {width: containerWidth, granularity}: {width: number; granularity: Granularity}
): HTMLElement {
  const width = chartWidth(containerWidth);
  const unit = granularity === "week" ? "week" : "month";
  const horizons = [...new Set(rows.map((row) => row.horizon))].sort((a, b) => a - b);
  const series = (h: number) => `Forecast ${h} ${unit}${h === 1 ? "" : "s"} ahead`;
  const actual = [...new Map(rows.map((row) => [+row.target_start, row])).values()];
  const palette = ["var(--theme-orange, orange)", "var(--theme-green)", "var(--theme-red)"];
  const end = (start: Date) => new Date(granularity === "week" ? +start + 6 * 86_400_000 : Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
  return figure(
    `past-forecasts-${granularity}`,
    `Past forecasts against what happened (${unit}s the forecast had not seen)`,
    rows.length === 0
      ? null
      : Plot.plot({
          width,
          height: 260,
          marginLeft: 64,
          x: {type: "utc", label: null},
          y: {grid: true, label: "Revenue (£)", tickFormat: "~s", zero: true},
          color: {
            legend: true,
            domain: ["Actual", ...horizons.map(series)],
            range: ["var(--theme-foreground-focus)", ...horizons.map((_, i) => palette[i % palette.length]!)]
          },
          marks: [
            Plot.lineY(actual, {x: "target_start", y: "actual", stroke: () => "Actual", strokeWidth: 2, marker: "dot"}),
            ...horizons.map((h) =>
              Plot.lineY(
                rows.filter((row) => row.horizon === h),
                {x: "target_start", y: "forecast", stroke: () => series(h), strokeDasharray: "5,3", marker: "circle-stroke"}
              )
            ),
            Plot.tip(
              rows,
              Plot.pointer({
                x: "target_start",
                y: "forecast",
                title: (row: PastForecast) =>
                  `${formatPeriod(row.target_start, end(row.target_start), granularity)}, ${row.horizon} ${unit}${row.horizon === 1 ? "" : "s"} ahead\nForecast ${formatMoney(row.forecast)}, actual ${formatMoney(row.actual)} (${row.error >= 0 ? "+" : ""}${formatPercent(row.error)})`
              })
            ),
            Plot.ruleY([0])
          ]
        }),
    {empty: "No backtest to show."}
  );
}
