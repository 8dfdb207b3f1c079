import * as Plot from "../vendor/plot.js";
import {chartWidth, figure} from "./figure.js";

/** One row of `churn_importance`. */
export interface ImportanceRow {
  feature: string;
  label: string;
  impurity_importance: number;
  heldout_contribution: number;
  importance_rank: number;
}

export interface FeatureImportanceOptions {
  width: number;
  /** Features shown, most important first. Default: all. */
  limit?: number;
  name?: string;
  title?: string;
}

/**
 * What the forest relies on: each feature's mean absolute contribution to the churn probability of the
 * held-out customers (in percentage points), longest first; the tip adds the impurity importance
 * measured on the training customers.
 */
export function featureImportance(rows: readonly ImportanceRow[], options: FeatureImportanceOptions): HTMLElement {
  const {limit = Infinity, name = "churn-importance", title = "Feature importance: mean change in churn probability on held-out customers"} = options;
  const width = chartWidth(options.width);
  const shown = [...rows]
    .sort((a, b) => a.importance_rank - b.importance_rank)
    .slice(0, limit)
    .map((row) => ({...row, points: 100 * row.heldout_contribution, impurity: `${(100 * row.impurity_importance).toFixed(1)}%`}));
  const maxLabel = Math.max(...shown.map((row) => row.label.length), 4);
  return figure(
    name,
    title,
    shown.length === 0
      ? null
      : Plot.plot({
          width,
          height: 22 * shown.length + 40,
          marginLeft: Math.min(Math.floor(width * 0.5), 6.5 * maxLabel + 10),
          marginRight: 60,
          x: {grid: true, label: "Mean |change in probability| (percentage points) →"},
          y: {label: null, domain: shown.map((row) => row.label)},
          marks: [
            Plot.barX(shown, {
              x: "points",
              y: "label",
              fill: "var(--theme-foreground-focus)",
              tip: true,
              channels: {feature: "feature", "impurity importance (training)": "impurity"}
            }),
            Plot.text(shown, {x: "points", y: "label", text: (row: {points: number}) => `${row.points.toFixed(1)} pts`, dx: 4, textAnchor: "start"}),
            Plot.ruleX([0])
          ]
        }),
    {empty: "No feature importances in the snapshot."}
  );
}
