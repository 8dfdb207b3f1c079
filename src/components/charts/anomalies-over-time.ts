import * as Plot from "../vendor/plot.js";
import {SEVERITIES, atStake, type AnomalyRow} from "../anomalies.js";
import {chartWidth, figure} from "./figure.js";

const WEEK = 7 * 86_400_000;
// 1970-01-05 was a Monday: weeks start on Mondays, as in the rest of the site.
const MONDAY = Date.UTC(1970, 0, 5);
const weekStart = (date: Date) => new Date(MONDAY + Math.floor((+date - MONDAY) / WEEK) * WEEK);

export const SEVERITY_COLOR = {domain: [...SEVERITIES], range: ["var(--theme-red)", "var(--theme-yellow)", "var(--theme-foreground-faint)"]};

/** Flagged lines per week, stacked by severity (or their revenue at stake), with a legend. */
export function anomaliesOverTime(
  rows: readonly AnomalyRow[],
  {width: containerWidth, measure = "lines"}: {width: number; measure?: "lines" | "revenue"}
): HTMLElement {
  const width = chartWidth(containerWidth);
  const cells = new Map<string, {week: Date; severity: string; value: number}>();
  for (const row of rows) {
    const week = weekStart(row.invoice_date);
    const key = `${+week}|${row.severity}`;
    const cell = cells.get(key) ?? {week, severity: row.severity, value: 0};
    cell.value += measure === "lines" ? 1 : atStake(row);
    cells.set(key, cell);
  }
  const data = [...cells.values()].sort((a, b) => +a.week - +b.week);
  return figure(
    "anomalies-over-time",
    measure === "lines" ? "Flagged lines per week, by severity" : "Revenue at stake per week, by severity",
    data.length === 0
      ? null
      : Plot.plot({
          width,
          height: 220,
          marginLeft: 56,
          x: {type: "utc", label: null},
          y: {grid: true, label: measure === "lines" ? "↑ Lines" : "↑ £", tickFormat: "~s"},
          color: {...SEVERITY_COLOR, legend: true},
          marks: [
            Plot.rectY(data, {
              x1: "week",
              x2: (d: {week: Date}) => new Date(+d.week + WEEK),
              y: "value",
              fill: "severity",
              order: [...SEVERITIES],
              inset: 0.5,
              tip: true,
              title: (d: {week: Date; severity: string; value: number}) =>
                `Week of ${d.week.toISOString().slice(0, 10)}: ${d.severity} ${measure === "lines" ? `${d.value} lines` : `£${Math.round(d.value).toLocaleString("en-GB")}`}`
            }),
            Plot.ruleY([0])
          ]
        }),
    {empty: "No anomaly matches the filters."}
  );
}
