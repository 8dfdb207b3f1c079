/**
 * What the models say to do this week: the rules of the Action items page, as pure functions over the
 * snapshots' rows. Each returns the list to act on (in the order to act), its count and a value in pounds.
 * The campaign list joins two snapshots and is a query (`campaignSql`) run by DuckDB-WASM.
 */
import {ALL_COUNTRIES} from "./basket.js";
import {RISK_LEVELS, type RiskLevel} from "./risk-levels.js";

/** The rules' settings: documented here, stated on the page, checked by the browser tests. */
export const ACTION_RULES = {
  /** Churn: risk levels that count as at risk (risk-levels.ts: High and Medium), and the share of customers by expected 90-day spend that counts as high value. */
  churn: {riskLevels: RISK_LEVELS.filter((level) => level !== "Low") as readonly RiskLevel[], topShare: 0.2},
  /** Bundles: basket_suggestions of this scope and kind. */
  bundles: {scope: ALL_COUNTRIES, kind: "bundle"},
  /** Rising demand: product_demand rows with this trend. */
  rising: {trend: "rising"},
  /** Anomalies: severity_rank at most this (1 Critical, 2 High). */
  anomalies: {maxSeverityRank: 2},
  /** Campaign: customers who bought within this many days and at least this many times; their top discover products. */
  campaign: {maxRecencyDays: 90, minFrequency: 2, perCustomer: 3}
} as const;

export interface ActionList<T> {
  rows: T[];
  count: number;
  /** Pounds: what the value means is said by the page, per item. */
  value: number;
}

export interface ChurnRow {
  customer_id: number;
  risk_level: string;
  churn_probability: number;
  expected_spend_90d: number;
  value_at_risk: number;
}

/**
 * The p-quantile with linear interpolation between the two nearest ranks (DuckDB's quantile_cont, R's
 * type 7). NaN for no values.
 */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  return lower === upper ? low : low + (sorted[upper]! - low) * (position - lower);
}

/**
 * High-value customers at churn risk: risk level High or Medium, and expected 90-day spend in the top
 * 20% of all customers; most value at risk first. Value: their summed value at risk.
 */
export function atRiskCustomers<T extends ChurnRow>(rows: readonly T[]): ActionList<T> & {threshold: number} {
  const {riskLevels, topShare} = ACTION_RULES.churn;
  const threshold = quantile(
    rows.map((row) => row.expected_spend_90d),
    1 - topShare
  );
  const list = rows
    .filter((row) => (riskLevels as readonly string[]).includes(row.risk_level) && row.expected_spend_90d >= threshold)
    .sort((a, b) => b.value_at_risk - a.value_at_risk || a.customer_id - b.customer_id);
  return {rows: list, count: list.length, value: sum(list, (row) => row.value_at_risk), threshold};
}

export interface BundleRow {
  scope: string;
  kind: string;
  rank: number;
  stock_codes: string;
}

export interface DemandRow {
  stock_code: string;
  trend: string;
  revenue_last_4_weeks: number;
  revenue_prior_4_weeks: number;
}

/**
 * Bundles to promote: the bundle suggestions for all countries, in their rank order. Value: the revenue of
 * the products they involve (each counted once) in the last 4 complete weeks.
 */
export function bundlesToPromote<T extends BundleRow>(suggestions: readonly T[], demand: readonly DemandRow[]): ActionList<T> & {products: number} {
  const {scope, kind} = ACTION_RULES.bundles;
  const list = suggestions.filter((row) => row.scope === scope && row.kind === kind).sort((a, b) => a.rank - b.rank);
  const codes = new Set(list.flatMap((row) => row.stock_codes.split(",").map((code) => code.trim())));
  const revenue = new Map(demand.map((row) => [row.stock_code, row.revenue_last_4_weeks]));
  return {rows: list, count: list.length, value: sum([...codes], (code) => revenue.get(code) ?? 0), products: codes.size};
}

/**
 * Products whose demand is rising (descriptive: the last 4 complete weeks against the 4 before, not a
 * forecast); largest revenue gain first. Value: the summed revenue gain.
 */
export function risingProducts<T extends DemandRow>(demand: readonly T[]): ActionList<T> {
  const gain = (row: DemandRow) => row.revenue_last_4_weeks - row.revenue_prior_4_weeks;
  const list = demand
    .filter((row) => row.trend === ACTION_RULES.rising.trend)
    .sort((a, b) => gain(b) - gain(a) || (a.stock_code < b.stock_code ? -1 : a.stock_code > b.stock_code ? 1 : 0));
  return {rows: list, count: list.length, value: sum(list, gain)};
}

export interface AnomalyRankRow {
  severity_rank: number;
  revenue: number;
  /** Revenue net of the part of the line cancelled later. */
  net_revenue: number;
  invoice_date: Date;
  source_file: string;
  source_line: number;
}

/**
 * Anomalies to review: Critical and High lines that were not wholly cancelled afterwards (net revenue above
 * 0: a line cancelled in full needs no review); most severe, then most net revenue, first. Value: their net
 * revenue.
 */
export function anomaliesToReview<T extends AnomalyRankRow>(anomalies: readonly T[]): ActionList<T> & {cancelled: number} {
  const net = (row: AnomalyRankRow) => row.net_revenue;
  const severe = anomalies.filter((row) => row.severity_rank <= ACTION_RULES.anomalies.maxSeverityRank);
  const list = severe
    .filter((row) => net(row) > 0)
    .sort(
      (a, b) =>
        a.severity_rank - b.severity_rank ||
        net(b) - net(a) ||
        +a.invoice_date - +b.invoice_date ||
        (a.source_file < b.source_file ? -1 : a.source_file > b.source_file ? 1 : 0) ||
        a.source_line - b.source_line
    );
  return {rows: list, count: list.length, value: sum(list, net), cancelled: severe.length - list.length};
}

/**
 * The campaign list: each recent repeat customer's top discover recommendations, with what the customer is
 * worth: net spend per order (monetary / frequency: net of cancellations, so an order cancelled later adds
 * nothing); customers with the largest net order first. Parameters: ACTION_RULES.campaign, in the order
 * of the `?` placeholders.
 */
export const campaignSql = {
  text: `SELECT r.customer_id, c.country, c.recency_days, c.frequency, c.monetary, c.monetary / c.frequency AS net_order_value,
      r.rank, r.stock_code, r.description, r.score, r.reason
    FROM recommendations AS r JOIN customer_metrics AS c USING (customer_id)
    WHERE r.mode = 'discover' AND r.rank <= ? AND c.recency_days <= ? AND c.frequency >= ?
    ORDER BY net_order_value DESC, r.customer_id, r.rank`,
  params: [ACTION_RULES.campaign.perCustomer, ACTION_RULES.campaign.maxRecencyDays, ACTION_RULES.campaign.minFrequency]
} as const;

/** Customers in the campaign list and their summed net order value (one more order of their usual size each). */
export function campaignTotals(rows: readonly {customer_id: number; net_order_value: number}[]): {count: number; value: number} {
  const customers = new Map<number, number>();
  for (const row of rows) customers.set(row.customer_id, row.net_order_value);
  return {count: customers.size, value: sum([...customers.values()], (value) => value)};
}

function sum<T>(rows: readonly T[], value: (row: T) => number): number {
  let total = 0;
  for (const row of rows) total += value(row);
  return total;
}
