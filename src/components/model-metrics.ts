/**
 * Reading `model_metrics` (one row per model, method, metric and evaluation split): the model cards of the
 * model pages. Roles: `published` (its output is the snapshot), `candidate`, `baseline`.
 */
export interface MetricRow {
  model: string;
  method: string;
  role: "published" | "candidate" | "baseline";
  metric: string;
  split: string;
  value: number;
  n: number;
  details: string;
}

export interface MetricQuery {
  model: string;
  method: string;
  metric: string;
  /** Only rows whose split contains this text (e.g. "horizon 1 week"). */
  split?: string;
}

/** The rows of one model. */
export function modelMetrics(rows: readonly MetricRow[], model: string): MetricRow[] {
  return rows.filter((row) => row.model === model);
}

/** Every row matching the query (possibly none). */
export function findMetrics(rows: readonly MetricRow[], {model, method, metric, split}: MetricQuery): MetricRow[] {
  return rows.filter((row) => row.model === model && row.method === method && row.metric === metric && (split === undefined || row.split.includes(split)));
}

/**
 * The one row matching the query. Throws when there is none or several, listing what the model has, so a
 * renamed method or metric says what to look for instead.
 */
export function metric(rows: readonly MetricRow[], query: MetricQuery): MetricRow {
  const found = findMetrics(rows, query);
  if (found.length === 1) return found[0]!;
  const available = [...new Set(modelMetrics(rows, query.model).map((row) => `${row.method}/${row.metric}`))].join(", ") || "nothing (was the model stage run?)";
  throw new Error(`model_metrics: ${found.length === 0 ? "no" : `${found.length}`} rows for ${JSON.stringify(query)}; model ${query.model} has ${available}`);
}
