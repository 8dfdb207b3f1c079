import * as Plot from "../vendor/plot.js";
import type {RecommendedProduct} from "../recommended-products.js";
import {chartWidth, figure} from "./figure.js";

/** Products by the share of customers they are recommended to, longest bar first, labelled with the count. */
export function recommendedProductsChart(
  rows: readonly RecommendedProduct[],
  {width: containerWidth, name, title}: {width: number; name: string; title: string}
): HTMLElement {
  const width = chartWidth(containerWidth);
  const sorted = [...rows].sort((a, b) => b.customers - a.customers);
  const label = (row: RecommendedProduct) => (row.description.length > 34 ? `${row.description.slice(0, 33)}…` : row.description);
  const longest = Math.max(8, ...sorted.map((row) => label(row).length));
  return figure(
    name,
    title,
    sorted.length === 0
      ? null
      : Plot.plot({
          width,
          height: 22 * sorted.length + 40,
          marginLeft: Math.min(Math.floor(width * 0.55), 6.2 * longest + 10),
          marginRight: 48,
          x: {grid: true, label: "Share of the customers →", tickFormat: "%", domain: [0, Math.max(...sorted.map((row) => row.share)) * 1.05]},
          y: {domain: sorted.map((row) => row.stock_code), label: null, tickFormat: (code: string) => label(sorted.find((row) => row.stock_code === code)!)},
          marks: [
            Plot.barX(sorted, {
              x: "share",
              y: "stock_code",
              fill: "var(--theme-foreground-focus)",
              tip: true,
              title: (row: RecommendedProduct) =>
                `${row.description} (${row.stock_code}): recommended to ${row.customers.toLocaleString("en-GB")} customers (${(100 * row.share).toFixed(1)}%)`
            }),
            Plot.text(sorted, {
              x: "share",
              y: "stock_code",
              text: (row: RecommendedProduct) => row.customers.toLocaleString("en-GB"),
              dx: 4,
              textAnchor: "start"
            }),
            Plot.ruleX([0])
          ]
        }),
    {empty: "No recommendations."}
  );
}
