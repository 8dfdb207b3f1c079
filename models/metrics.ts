/**
 * One evaluation row, as every model reports it: the `<model>_metrics` table layout
 * (loaders/schema/model-metrics.ts). Values are plain numbers (fractions, not percentages).
 */
export type Role = "published" | "candidate" | "baseline";

export interface MetricRow {
  model: string;
  method: string;
  role: Role;
  metric: string;
  split: string;
  value: number | null;
  n: number;
  details: string;
}

/**
 * The metric of the row a model publishes when it could not be fitted on the data it got (too few
 * customers, weeks or invoices): its snapshots are empty and `details` says why in plain words.
 */
export const NOT_FITTED = "not_fitted";

/** The metric of a row saying why a fitted model could not be evaluated (e.g. no later window to test on). */
export const NOT_EVALUATED = "not_evaluated";

export function notFittedRow(model: string, details: string): MetricRow {
  return {model, method: "none", role: "published", metric: NOT_FITTED, split: "none", value: null, n: 0, details};
}

export function notEvaluatedRow(model: string, method: string, details: string): MetricRow {
  return {model, method, role: "published", metric: NOT_EVALUATED, split: "none", value: null, n: 0, details};
}
