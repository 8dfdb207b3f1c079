import * as Plot from "../vendor/plot.js";
import type {SegmentRisk} from "../churn-summary.js";
import {chartWidth, figure} from "./figure.js";
import {RISK_COLOR} from "./risk-colors.js";

const compact = new Intl.NumberFormat("en-GB", {notation: "compact", maximumFractionDigits: 1});

/** Value at risk per segment, stacked by risk level, the segment with most at stake on top. */
export function valueAtRiskBySegmentChart(cells: readonly SegmentRisk[], {width: containerWidth, title}: {width: number; title: string}): HTMLElement {
  const width = chartWidth(containerWidth);
  const segments = [...new Set(cells.map((cell) => cell.segment))];
  const totals = segments.map((segment) => ({
    segment,
    value: cells.filter((cell) => cell.segment === segment).reduce((sum, cell) => sum + cell.valueAtRisk, 0)
  }));
  const longest = Math.max(4, ...segments.map((segment) => segment.length));
  return figure(
    "churn-value-by-segment",
    title,
    cells.length === 0
      ? null
      : Plot.plot({
          width,
          height: 26 * segments.length + 60,
          marginLeft: Math.min(Math.floor(width * 0.4), 7 * longest + 10),
          marginRight: 56,
          x: {grid: true, label: "Value at risk (£) →", tickFormat: "~s"},
          y: {domain: segments, label: null},
          color: {...RISK_COLOR, legend: true},
          marks: [
            Plot.barX(cells, {
              x: "valueAtRisk",
              y: "segment",
              fill: "level",
              order: RISK_COLOR.domain,
              tip: true,
              title: (cell: SegmentRisk) =>
                `${cell.segment}, ${cell.level} risk: ${cell.customers.toLocaleString("en-GB")} customers, £${Math.round(cell.valueAtRisk).toLocaleString("en-GB")} at risk`
            }),
            Plot.text(totals, {x: "value", y: "segment", text: (d: {value: number}) => `£${compact.format(d.value)}`, dx: 4, textAnchor: "start"}),
            Plot.ruleX([0])
          ]
        }),
    {empty: "No customer is at risk under these filters."}
  );
}
