/**
 * The Churn page's at-risk customers: `churn_scores` with each customer's RFM segment (`rfm_segments`)
 * and k-means segment (`customer_segments`), under the page's filters. The table is drawn from the
 * small snapshots in JavaScript (`atRiskRows` + `filterAtRisk`); the downloads query exactly the same
 * rows with DuckDB-WASM (`atRiskQuery`), so the files keep the snapshots' column types. Both orders are
 * by `value_at_risk_rank` (1 = most at stake; unique). Pure functions (unit-tested).
 */

/** Each filter is a list of accepted values; an empty list accepts everything. */
export interface AtRiskFilters {
  countries: readonly string[];
  /** RFM segments (rfm_segments.segment). */
  segments: readonly string[];
  /** k-means segments (customer_segments.segment). */
  kmeans: readonly string[];
  /** Risk levels: High, Medium, Low. */
  risks: readonly string[];
}

export {RISK_LEVELS} from "./risk-levels.js";

/** The table's and the downloads' columns, in order. */
export const AT_RISK_COLUMNS = [
  "value_at_risk_rank",
  "customer_id",
  "country",
  "rfm_segment",
  "kmeans_segment",
  "risk_level",
  "churn_probability",
  "value_at_risk",
  "expected_spend_90d",
  "recency_days",
  "frequency",
  "monetary",
  "top_factors"
] as const;

export type AtRiskColumn = (typeof AT_RISK_COLUMNS)[number];
export type AtRiskRow = Record<AtRiskColumn, string | number | null>;

/** The columns each part comes from (for loadColumns). */
export const CHURN_SCORE_COLUMNS = [
  "value_at_risk_rank",
  "customer_id",
  "country",
  "risk_level",
  "churn_probability",
  "value_at_risk",
  "expected_spend_90d",
  "recency_days",
  "frequency",
  "monetary",
  "top_factors"
] as const;

type Columns = Record<string, readonly unknown[]>;

/**
 * One row per scored customer, in value-at-risk order. `scores` holds CHURN_SCORE_COLUMNS; `rfm` and
 * `kmeans` hold `customer_id` and `segment`. A customer missing from either gets a null segment (the
 * snapshots cover the same customers, so this does not happen on a consistent build).
 */
export function atRiskRows(scores: Columns, rfm: Columns, kmeans: Columns): AtRiskRow[] {
  const segmentOf = (columns: Columns) => {
    const map = new Map<number, string>();
    const ids = columns.customer_id!;
    const segments = columns.segment!;
    for (let i = 0; i < ids.length; i++) map.set(ids[i] as number, segments[i] as string);
    return map;
  };
  const rfmSegment = segmentOf(rfm);
  const kmeansSegment = segmentOf(kmeans);
  const count = scores.customer_id!.length;
  const rows: AtRiskRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const row = {} as AtRiskRow;
    for (const column of CHURN_SCORE_COLUMNS) row[column] = scores[column]![i] as string | number | null;
    row.rfm_segment = rfmSegment.get(row.customer_id as number) ?? null;
    row.kmeans_segment = kmeansSegment.get(row.customer_id as number) ?? null;
    rows[i] = row;
  }
  return rows.sort((a, b) => (a.value_at_risk_rank as number) - (b.value_at_risk_rank as number));
}

const CONDITIONS: readonly [keyof AtRiskFilters, AtRiskColumn, string][] = [
  ["countries", "country", "c.country"],
  ["segments", "rfm_segment", "r.segment"],
  ["kmeans", "kmeans_segment", "k.segment"],
  ["risks", "risk_level", "c.risk_level"]
];

/** The rows the filters accept, in their order. */
export function filterAtRisk(rows: readonly AtRiskRow[], filters: AtRiskFilters): AtRiskRow[] {
  const active = CONDITIONS.filter(([key]) => filters[key].length > 0).map(([key, column]) => [column, new Set<unknown>(filters[key])] as const);
  if (active.length === 0) return [...rows];
  return rows.filter((row) => active.every(([column, accepted]) => accepted.has(row[column])));
}

/** The same rows as a DuckDB query, values bound as parameters (never spliced into the text). */
export function atRiskQuery(filters: AtRiskFilters): {text: string; params: unknown[]} {
  const conditions: string[] = [];
  const params: unknown[] = [];
  for (const [key, , expression] of CONDITIONS) {
    if (filters[key].length === 0) continue;
    conditions.push(`${expression} IN (${filters[key].map(() => "?").join(", ")})`);
    params.push(...filters[key]);
  }
  const select = AT_RISK_COLUMNS.map((column) =>
    column === "rfm_segment" ? "r.segment AS rfm_segment" : column === "kmeans_segment" ? "k.segment AS kmeans_segment" : `c.${column}`
  );
  const text = `SELECT ${select.join(", ")}
FROM churn_scores AS c
LEFT JOIN rfm_segments AS r USING (customer_id)
LEFT JOIN customer_segments AS k USING (customer_id)
WHERE ${conditions.length ? conditions.join(" AND ") : "TRUE"}
ORDER BY c.value_at_risk_rank`;
  return {text, params};
}
