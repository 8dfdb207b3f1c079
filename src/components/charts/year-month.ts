import * as Plot from "@observablehq/plot";
import {chartWidth, figure} from "./figure.js";

export interface MonthlyRevenue {
  year: number;
  /** 1–12 */
  month: number;
  revenue: number;
  partial?: boolean;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Revenue by calendar month, one bar per year side by side, so years compare month for month. */
export function revenueByYearMonth(data: readonly MonthlyRevenue[], {width: containerWidth, height = 260}: {width: number; height?: number}): HTMLElement {
  const width = chartWidth(containerWidth);
  return figure("revenue-year-month", "Revenue by year and month", data.length === 0 ? null : Plot.plot({
    width, height, marginLeft: 60,
    fx: {label: null, tickFormat: (month: number) => MONTHS[month - 1]},
    x: {axis: null, type: "band"},
    y: {grid: true, label: "Revenue (£)", tickFormat: "~s"},
    color: {type: "ordinal", legend: true, scheme: "observable10"},
    marks: [
      Plot.barY(data, {fx: "month", x: (d: MonthlyRevenue) => String(d.year), y: "revenue", fill: (d: MonthlyRevenue) => String(d.year), fillOpacity: (d: MonthlyRevenue) => (d.partial ? 0.5 : 1), tip: true,
        title: (d: MonthlyRevenue) => `${MONTHS[d.month - 1]} ${d.year}: £${d.revenue.toLocaleString("en-GB", {maximumFractionDigits: 0})}${d.partial ? " (partial month)" : ""}`}),
      Plot.ruleY([0])
    ]
  }));
}
