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
