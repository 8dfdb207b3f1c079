/**
 * Reading the `model_metrics` snapshot (one row per model, method, metric and evaluation split) on a
 * page: the rows of a model, one number with a clear error when it is missing, and the model's card as a
 * table. Roles: `published` (its output is the snapshot), `candidate`, `baseline`.
 */
import {html} from "htl";
import type {Role} from "../../models/metrics.js";

export interface MetricRow {
  model: string;
  method: string;
  role: Role;
  metric: string;
  split: string;
  value: number;
  n: number;
  details: string | null;
}

export interface MetricQuery {
  model: string;
  method: string;
  metric: string;
  /** Text the split starts with, e.g. "holdout:" or "repeated holdout". Default: any split. */
  split?: string;
}

/** The rows of one model. */
export function modelMetrics(rows: readonly MetricRow[], model: string): MetricRow[] {
  return rows.filter((row) => row.model === model);
}

/** Every row matching the query (possibly none). */
export function findMetrics(rows: readonly MetricRow[], {model, method, metric, split}: MetricQuery): MetricRow[] {
  return rows.filter((row) => row.model === model && row.method === method && row.metric === metric && (split === undefined || row.split.startsWith(split)));
}

/**
 * The one row matching the query. Throws when there is none or several, listing what the model has, so a
 * renamed method or metric says what to look for instead.
 */
export function findMetric(rows: readonly MetricRow[], query: MetricQuery): MetricRow {
  const matches = findMetrics(rows, query);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new Error(`model_metrics has ${matches.length} rows for ${JSON.stringify(query)}: name the split.`);
  const available = [...new Set(modelMetrics(rows, query.model).map((row) => `${row.method}/${row.metric} (${row.split.split(":")[0]})`))];
  throw new Error(
    `model_metrics has no row for ${JSON.stringify(query)}; the ${query.model} rows are: ${available.join(", ") || "none"}. ` +
      "Rebuild the snapshots with `npm run build`."
  );
}

/** The value of one metric (see findMetric). */
export function metricValue(rows: readonly MetricRow[], query: MetricQuery): number {
  return findMetric(rows, query).value;
}

const ROLE_ORDER: Record<string, number> = {published: 0, candidate: 1, baseline: 2};

/** The roles in plain words, for readers. */
export const ROLE_LABELS: Readonly<Record<string, string>> = {published: "used on the site", candidate: "tried, not used", baseline: "simple comparison"};

/** A role in plain words ("used on the site"). */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}
/** Metric and method names as people say them; anything else loses its underscores. */
const WORDS: Readonly<Record<string, string>> = {
  roc_auc: "ROC-AUC",
  pr_auc: "PR-AUC",
  oob_roc_auc: "out-of-bag ROC-AUC",
  brier_score: "Brier score",
  log_loss: "log loss",
  f1: "F1",
  precision_at_10: "precision@10",
  recall_at_10: "recall@10",
  mape: "MAPE",
  mae: "MAE",
  min_adjusted_rand_index: "lowest adjusted Rand index",
  random_forest: "random forest",
  logistic_regression: "logistic regression",
  recency_only: "recency alone",
  kmeans_log_rfm: "k-means on log RFM"
};

/** "roc_auc" → "ROC-AUC", "true_positives" → "true positives", "blend:buy_again" → "blend: buy again". */
export function plainName(name: string): string {
  return name
    .split(":")
    .map((part) => WORDS[part] ?? part.replaceAll("_", " "))
    .join(": ");
}

// A row saying why a model was not fitted or evaluated has no value (null): its details say why.
const formatValue = (row: MetricRow) =>
  row.value === null || row.value === undefined ? "—" : Number.isInteger(row.value) ? row.value.toLocaleString("en-GB") : row.value.toFixed(3);

/**
 * Every evaluation of a model as a table: method and role, metric, value, what it was measured on and
 * how many cases, and the details (parameters, verdict). Each row carries `data-method`, `data-metric`
 * and the exact `data-value`.
 */
export function metricsTable(rows: readonly MetricRow[], {model}: {model: string}): HTMLElement {
  const selected = modelMetrics(rows, model).sort(
    (a, b) =>
      (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9) ||
      a.method.localeCompare(b.method) ||
      a.metric.localeCompare(b.metric) ||
      a.split.localeCompare(b.split)
  );
  if (selected.length === 0) return html`<p class="empty">No evaluation of the ${model} model in model_metrics.</p>`;
  return html`<div class="metrics-table" data-model=${model}><table>
    <thead><tr><th>Method</th><th>Role</th><th>Metric</th><th>Value</th><th>Measured on</th><th>n</th><th>Details</th></tr></thead>
    <tbody>${selected.map(
      (row) => html`<tr data-method=${row.method} data-metric=${row.metric} data-split=${row.split} data-value=${String(row.value)}>
      <td title=${row.method}>${plainName(row.method)}</td><td>${roleLabel(row.role)}</td><td title=${row.metric}>${plainName(row.metric)}</td>
      <td class="number">${formatValue(row)}</td><td class="split">${row.split}</td><td class="number">${Number(row.n).toLocaleString("en-GB")}</td><td>${row.details ?? ""}</td>
    </tr>`
    )}</tbody>
  </table></div>`;
}
