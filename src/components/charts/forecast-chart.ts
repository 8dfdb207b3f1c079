import * as Plot from "../vendor/plot.js";
import {methodLabel, type ForecastRow, type Granularity} from "../forecast.js";
import {formatMoney, formatPeriod} from "../format.js";
import {chartWidth, figure} from "./figure.js";

export interface ForecastChartOptions {
  width: number;
  granularity: Granularity;
  /** Chart height in pixels. Default: 300. */
  height?: number;
}

const DAY = 86_400_000;

/**
 * Revenue per week or month: the actual history (complete periods as a line; partial periods shaded and
 * drawn hollow, with the reason on hover), then the published forecast with its 80% and 95% intervals.
 * `rows` are `sales_forecast` rows of any granularity; only `granularity`'s are drawn.
 */
export function forecastChart(rows: readonly ForecastRow[], {width: containerWidth, granularity, height = 300}: ForecastChartOptions): HTMLElement {
  const width = chartWidth(containerWidth);
  const own = rows.filter((row) => row.granularity === granularity);
  const actual = own.filter((row) => row.kind === "actual").sort((a, b) => +a.period_start - +b.period_start);
  const forecast = own.filter((row) => row.kind === "forecast").sort((a, b) => +a.period_start - +b.period_start);
  const complete = actual.filter((row) => !row.is_partial);
  const partial = actual.filter((row) => row.is_partial);
  // The forecast line starts at the last complete period, so it reads as a continuation.
  const lastComplete = complete.at(-1);
  const forecastLine = [...(lastComplete ? [{period_start: lastComplete.period_start, forecast: lastComplete.revenue}] : []), ...forecast];
  const unit = granularity === "week" ? "Week" : "Month";
  const title = `${unit}ly revenue: actual, and the forecast with 80% and 95% intervals`;
  const describe = (row: ForecastRow) =>
    row.kind === "actual"
      ? `${unit} ${formatPeriod(row.period_start, row.period_end, granularity)}\n${formatMoney(row.revenue)}${row.is_partial ? `\nPartial: ${row.partial_reason}` : ""}`
      : `${unit} ${formatPeriod(row.period_start, row.period_end, granularity)} (forecast: ${methodLabel(row.method ?? "")})\n${formatMoney(row.forecast)}\n80%: ${formatMoney(row.lower_80)} – ${formatMoney(row.upper_80)}\n95%: ${formatMoney(row.lower_95)} – ${formatMoney(row.upper_95)}${row.revenue !== null ? `\nSo far: ${formatMoney(row.revenue)}` : ""}${row.note ? `\n${row.note}` : ""}`;
  const periodEnd = (row: ForecastRow) => new Date(+row.period_end + DAY);
  return figure(
    `forecast-${granularity}`,
    title,
    own.length === 0
      ? null
      : Plot.plot({
          width,
          height,
          marginLeft: 64,
          x: {type: "utc", label: null},
          y: {grid: true, label: "Revenue (£)", tickFormat: "~s", zero: true},
          color: {
            legend: true,
            domain: ["Actual", "Forecast", "Partial period (not a full period's revenue)"],
            range: ["var(--theme-foreground-focus)", "var(--theme-orange, orange)", "var(--theme-foreground-faint)"]
          },
          marks: [
            Plot.rect(partial, {x1: "period_start", x2: periodEnd, fill: () => "Partial period (not a full period's revenue)", fillOpacity: 0.35}),
            Plot.areaY(forecast, {
              x: "period_start",
              y1: "lower_95",
              y2: "upper_95",
              fill: "var(--theme-orange, orange)",
              fillOpacity: 0.15,
              curve: "monotone-x"
            }),
            Plot.areaY(forecast, {
              x: "period_start",
              y1: "lower_80",
              y2: "upper_80",
              fill: "var(--theme-orange, orange)",
              fillOpacity: 0.3,
              curve: "monotone-x"
            }),
            Plot.lineY(complete, {x: "period_start", y: "revenue", stroke: () => "Actual", marker: "dot"}),
            Plot.lineY(forecastLine, {x: "period_start", y: "forecast", stroke: () => "Forecast", strokeDasharray: "5,3", marker: "dot"}),
            Plot.dot(partial, {x: "period_start", y: "revenue", stroke: "currentColor", fill: "var(--theme-background)", r: 4}),
            Plot.tip(
              [...actual, ...forecast],
              Plot.pointerX({x: "period_start", y: (row: ForecastRow) => (row.kind === "actual" ? row.revenue : row.forecast), title: describe})
            ),
            Plot.ruleY([0])
          ]
        })
  );
}
