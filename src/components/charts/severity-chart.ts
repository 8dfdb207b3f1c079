import * as Plot from "../vendor/plot.js";
import {KINDS, SEVERITIES, atStake, type AnomalyRow} from "../anomalies.js";
import {chartWidth, figure} from "./figure.js";

export interface SeverityChartOptions {
  width: number;
  /** What the bars count: flagged lines, or their revenue (money at stake). */
  measure: "lines" | "revenue";
}

/**
 * Flagged lines by severity (Critical, High, Medium), stacked by kind (price, quantity, both): as a count
 * of lines, or as revenue — which shows that a severe anomaly can be small money.
 */
export function severityChart(
  rows: readonly Pick<AnomalyRow, "severity" | "kind" | "revenue" | "at_stake">[],
  {width: containerWidth, measure}: SeverityChartOptions
): HTMLElement {
  const width = chartWidth(containerWidth);
  const name = measure === "lines" ? "severity-lines" : "severity-revenue";
  const title = measure === "lines" ? "Flagged lines by severity and kind" : "Revenue at stake by severity and kind";
  const value = measure === "lines" ? () => 1 : (row: Pick<AnomalyRow, "revenue" | "at_stake">) => atStake(row as AnomalyRow);
  const totals = SEVERITIES.map((severity) => {
    const own = rows.filter((row) => row.severity === severity);
    return {severity, total: own.reduce((sum, row) => sum + value(row), 0)};
  });
  const label = (total: number) =>
    measure === "lines" ? total.toLocaleString("en-GB") : `£${total.toLocaleString("en-GB", {notation: "compact", maximumFractionDigits: 1})}`;
  return figure(
    name,
    title,
    rows.length === 0
      ? null
      : Plot.plot({
          width,
          height: 170,
          marginLeft: 70,
          marginRight: 50,
          x: {grid: true, label: measure === "lines" ? "Lines" : "Revenue (£)", tickFormat: "~s"},
          y: {label: null, domain: SEVERITIES},
          color: {legend: true, domain: KINDS, scheme: "tableau10"},
          marks: [
            Plot.barX(rows, Plot.groupY({x: "sum"}, {y: "severity", x: value, fill: "kind", tip: true, order: KINDS as unknown as string[]})),
            Plot.text(totals, {y: "severity", x: "total", text: (d: {total: number}) => label(d.total), dx: 4, textAnchor: "start"}),
            Plot.ruleX([0])
          ]
        }),
    {empty: "No anomaly matches the filters."}
  );
}
