import * as Plot from "../vendor/plot.js";
import type {ProbabilityBin} from "../churn-summary.js";
import {chartWidth, figure} from "./figure.js";
import {RISK_COLOR} from "./risk-colors.js";

/** How many customers have each churn probability (5-point bins), coloured by risk level, with a legend. */
export function riskDistribution(bins: readonly ProbabilityBin[], {width: containerWidth}: {width: number}): HTMLElement {
  const width = chartWidth(containerWidth);
  const total = bins.reduce((sum, bin) => sum + bin.customers, 0);
  return figure(
    "churn-risk-distribution",
    "Customers by churn probability",
    total === 0
      ? null
      : Plot.plot({
          width,
          height: 230,
          marginLeft: 50,
          x: {domain: [0, 1], tickFormat: "%", label: "Probability of no purchase in the next 90 days →"},
          y: {grid: true, label: "↑ Customers"},
          color: {...RISK_COLOR, legend: true},
          marks: [
            Plot.rectY(bins, {
              x1: "from",
              x2: "to",
              y: "customers",
              fill: "level",
              inset: 0.5,
              tip: true,
              title: (bin: ProbabilityBin) =>
                `${Math.round(100 * bin.from)}–${Math.round(100 * bin.to)}%: ${bin.customers.toLocaleString("en-GB")} customers (${bin.level})`
            }),
            Plot.ruleY([0])
          ]
        }),
    {empty: "No customer was scored."}
  );
}
