import * as Plot from "../vendor/plot.js";
import {chartWidth, figure} from "./figure.js";

// One formatter, not one per point: Plot evaluates the tip text of every day on every redraw.
const pounds = new Intl.NumberFormat("en-GB", {maximumFractionDigits: 0});
const dayFormat = new Intl.DateTimeFormat("en-GB", {weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});

export interface DailyRevenue {
  date: Date;
  revenue: number;
  /** Average of the last seven trading days (the trend line); omitted = no trend line. */
  average?: number;
  partial?: boolean;
}

/**
 * Daily revenue with its trend (the average of the last seven trading days, see revenueByDay) and a
 * legend; a partial last day (the extract ended mid-day) is marked. `label` names the measure ("Net
 * revenue").
 */
export function revenueTrend(
  data: readonly DailyRevenue[],
  {width: containerWidth, height = 280, label = "Revenue"}: {width: number; height?: number; label?: string}
): HTMLElement {
  const width = chartWidth(containerWidth);
  const partial = data.filter((d) => d.partial);
  const daily = `${label} per day`;
  const average = "Average of the last 7 trading days";
  const partialDay = "Partial day (the data ends mid-day)";
  const domain = partial.length ? [daily, average, partialDay] : [daily, average];
  return figure(
    "revenue-trend",
    `${label} by day`,
    data.length === 0
      ? null
      : Plot.plot({
          width,
          height,
          marginLeft: 60,
          x: {type: "utc", label: null, ...(data.length <= Math.min(14, width / 50) ? {ticks: "day", tickFormat: "%-d %b"} : {})},
          y: {grid: true, label: `${label} (£)`, tickFormat: "~s"},
          color: {legend: true, domain, range: ["var(--theme-foreground-faint)", "var(--theme-foreground-focus)", "currentColor"].slice(0, domain.length)},
          marks: [
            Plot.areaY(data, {x: "date", y: "revenue", fill: () => daily, fillOpacity: 0.5, curve: "step"}),
            Plot.lineY(
              data.filter((d) => d.average !== undefined),
              {x: "date", y: "average", stroke: () => average, strokeWidth: 2}
            ),
            Plot.dot(partial, {x: "date", y: "revenue", r: 4, stroke: () => partialDay, fill: "none"}),
            Plot.tip(
              data,
              Plot.pointerX({
                x: "date",
                y: "revenue",
                title: (d: DailyRevenue) =>
                  `${dayFormat.format(d.date)}\n£${pounds.format(d.revenue)}${d.partial ? " (partial day)" : ""}\n7-day average £${pounds.format(d.average ?? d.revenue)}`
              })
            ),
            Plot.ruleY([0])
          ]
        })
  );
}
