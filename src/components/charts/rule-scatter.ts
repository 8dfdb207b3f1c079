import * as Plot from "../vendor/plot.js";
import type {RuleRow} from "../basket.js";
import {chartWidth, figure} from "./figure.js";

/**
 * Association rules as dots: confidence across, lift up, size by support. `all` (a scope's rules) are drawn
 * faint; `selected` (those passing the filters) in colour, so the filters' effect is visible.
 */
export function ruleScatter(
  all: readonly RuleRow[],
  selected: readonly RuleRow[],
  {width: containerWidth, height = 300}: {width: number; height?: number}
): HTMLElement {
  const width = chartWidth(containerWidth);
  const title = (rule: RuleRow) =>
    `${rule.antecedent}\n→ ${rule.consequent}\nconfidence ${(100 * rule.confidence).toFixed(0)}%, lift ${rule.lift.toFixed(1)}, ${rule.invoices} orders`;
  return figure(
    "basket-rules",
    `Rules by confidence and lift (${selected.length} of ${all.length} pass the filters)`,
    all.length === 0
      ? null
      : Plot.plot({
          width,
          height,
          marginLeft: 50,
          x: {label: "Confidence →", tickFormat: "%", domain: [0.5, 1]},
          y: {label: "↑ Lift", grid: true, type: "log", tickFormat: "~f"},
          r: {range: [2, 10], label: "Support"},
          marks: [
            Plot.dot(all, {x: "confidence", y: "lift", r: "support", stroke: "var(--theme-foreground-faint)", strokeOpacity: 0.5}),
            Plot.dot(selected, {x: "confidence", y: "lift", r: "support", fill: "var(--theme-foreground-focus)", fillOpacity: 0.6, tip: true, title})
          ]
        }),
    {empty: "No rules in this scope."}
  );
}
