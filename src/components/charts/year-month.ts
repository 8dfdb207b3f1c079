import * as Plot from "../vendor/plot.js";
import {chartWidth, figure} from "./figure.js";

export interface MonthlyRevenue {
  year: number;
  /** 1–12 */
  month: number;
  revenue: number;
  partial?: boolean;
}

// One formatter, not one per point (labels are computed on every redraw).
const pounds = new Intl.NumberFormat("en-GB", {maximumFractionDigits: 0});
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Revenue by calendar month, one line per year, so years compare month for month; partial months hollow. */
export function revenueByYearMonth(data: readonly MonthlyRevenue[], {width: containerWidth, height = 260}: {width: number; height?: number}): HTMLElement {
  const width = chartWidth(containerWidth);
  const label = (d: MonthlyRevenue) => `${MONTHS[d.month - 1]} ${d.year}: £${pounds.format(d.revenue)}${d.partial ? " (partial month)" : ""}`;
  return figure(
    "revenue-year-month",
    "Revenue by year and month",
    data.length === 0
      ? null
      : Plot.plot({
          width,
          height,
          marginLeft: 60,
          x: {
            type: "point",
            domain: MONTHS.map((_, i) => i + 1),
            ticks: width < 480 ? [1, 3, 5, 7, 9, 11] : undefined,
            tickFormat: (month: number) => MONTHS[month - 1],
            label: null
          },
          y: {grid: true, label: "Revenue (£)", tickFormat: "~s", zero: true},
          color: {type: "ordinal", legend: true, scheme: "observable10"},
          marks: [
            Plot.lineY(data, {x: "month", y: "revenue", stroke: (d: MonthlyRevenue) => String(d.year)}),
            Plot.dot(
              data.filter((d) => !d.partial),
              {x: "month", y: "revenue", fill: (d: MonthlyRevenue) => String(d.year), r: 4, tip: true, title: label}
            ),
            Plot.dot(
              data.filter((d) => d.partial),
              {x: "month", y: "revenue", stroke: (d: MonthlyRevenue) => String(d.year), fill: "var(--theme-background)", r: 4, tip: true, title: label}
            )
          ]
        })
  );
}
