import type {SnapshotSpec} from "./types.js";

/**
 * Every model's evaluation in one table: each model stage writes `<model>_metrics` (this layout), and the
 * model_metrics stage unions them. Curves and tables too large for a row (ROC points, backtests) live in
 * the model's own snapshots.
 */
export const MODEL_METRICS_COLUMNS = {
  model: {type: "VARCHAR", description: "Model: rfm, segmentation, churn, forecast, recommendations, basket or anomalies"},
  method: {type: "VARCHAR", description: "Method evaluated, e.g. random_forest, recency_only, mean_last_4_weeks"},
  role: {type: "VARCHAR", description: "published (its output is the snapshot), candidate, or baseline"},
  metric: {type: "VARCHAR", description: "Metric, e.g. roc_auc, pr_auc, silhouette, mape, precision_at_10"},
  split: {type: "VARCHAR", description: "What it was measured on, e.g. 'holdout: 30% of customers' (never the training data)"},
  value: {type: "DOUBLE", description: "The metric's value"},
  n: {type: "BIGINT", description: "How many cases it was measured on"},
  details: {type: "VARCHAR", description: "Context: parameters, thresholds, or a verdict against the baseline"},
  fitted_through: {
    type: "DATE",
    description: "The last day of data the model was fitted and evaluated on (the end of the last complete refit period); null when nothing was fitted"
  },
  scored_as_of: {type: "DATE", description: "The last day of data its published scores use"}
} as const;

export const MODEL_METRICS_SNAPSHOTS = {
  model_metrics: {
    layer: "meta",
    grain: "one row per model, method, metric and evaluation split",
    description: "Honest evaluations of every model against its baselines, on data the model did not see.",
    columns: MODEL_METRICS_COLUMNS
  }
} as const satisfies Record<string, SnapshotSpec>;
