import * as Plot from "@observablehq/plot";
import {chartWidth, figure} from "./figure.js";

// One formatter, not one per point: Plot evaluates the tip text of every day on every redraw.
const pounds = new Intl.NumberFormat("en-GB", {maximumFractionDigits: 0});

export interface DailyRevenue {
  date: Date;
  revenue: number;
  /** Average of the last seven trading days (the trend line); omitted = no trend line. */
  average?: number;
  partial?: boolean;
}

/**
 * Daily revenue with its trend (the average of the last seven trading days, see revenueByDay); a partial
 * last day (the extract ended mid-day) is marked.
 */
export function revenueTrend(data: readonly DailyRevenue[], {width: containerWidth, height = 280}: {width: number; height?: number}): HTMLElement {
  const width = chartWidth(containerWidth);
  const partial = data.filter((d) => d.partial);
  return figure("revenue-trend", "Revenue by day", data.length === 0 ? null : Plot.plot({
    width, height, marginLeft: 60,
    x: {type: "utc", label: null},
    y: {grid: true, label: "Revenue (£)", tickFormat: "~s"},
    marks: [
      Plot.areaY(data, {x: "date", y: "revenue", fillOpacity: 0.15, curve: "step"}),
      Plot.lineY(data.filter((d) => d.average !== undefined), {x: "date", y: "average", stroke: "var(--theme-foreground-focus)", strokeWidth: 2}),
      Plot.dot(partial, {x: "date", y: "revenue", r: 4, stroke: "currentColor", fill: "none", title: () => "partial day: the data ends mid-day"}),
      Plot.tip(data, Plot.pointerX({x: "date", y: "revenue", title: (d: DailyRevenue) => `${d.date.toISOString().slice(0, 10)}\n£${pounds.format(d.revenue)}${d.partial ? " (partial)" : ""}`})),
      Plot.ruleY([0])
    ]
  }));
}
