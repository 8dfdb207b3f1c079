import {SEVERITIES, type Severity} from "../shared/values.js";
/**
 * The Anomalies page's reading of the `anomalies` snapshot: severities and kinds, the filters beyond the
 * shared country/date bar, and the orders the table can be sorted in. Pure functions over snapshot rows.
 */
export {SEVERITIES, type Severity};

export const KINDS = ["price", "quantity", "price and quantity"] as const;

export interface AnomalyRow {
  source_file: string;
  source_line: number;
  invoice_no: string;
  invoice_date: Date;
  stock_code: string;
  description: string | null;
  customer_id: number | null;
  country: string;
  quantity: number;
  unit_price: number;
  revenue: number;
  kind: string;
  severity: string;
  severity_rank: number;
  factor: number;
  reason: string;
  /** Units of the line cancelled later. */
  returned_quantity: number;
  /** Revenue net of those cancellations. */
  net_revenue: number;
  /** What the page ranks and sums as "at stake": net_revenue by default, revenue when Gross is chosen. */
  at_stake?: number;
}

/** The money a row puts at stake: its `at_stake` when the page set one, else its net revenue. */
export const atStake = (row: AnomalyRow): number => row.at_stake ?? row.net_revenue;

/** Each anomaly with what it puts at stake: its net revenue (`measure` "net", the default) or its revenue before cancellations. */
export function withStake<T extends AnomalyRow>(rows: readonly T[], measure: "net" | "gross" = "net"): (T & {at_stake: number})[] {
  return rows.map((row) => ({...row, at_stake: measure === "gross" ? row.revenue : row.net_revenue}));
}

/** Orders of the table; each breaks ties the same way (then by date, file and line) so downloads are stable. */
export const ANOMALY_ORDERS = {
  severity: {label: "Severity, then revenue at stake", compare: (a: AnomalyRow, b: AnomalyRow) => a.severity_rank - b.severity_rank || atStake(b) - atStake(a)},
  revenue: {label: "Revenue at stake (largest first)", compare: (a: AnomalyRow, b: AnomalyRow) => atStake(b) - atStake(a) || a.severity_rank - b.severity_rank},
  factor: {label: "How far off (largest factor first)", compare: (a: AnomalyRow, b: AnomalyRow) => b.factor - a.factor || a.severity_rank - b.severity_rank},
  newest: {label: "Newest first", compare: (a: AnomalyRow, b: AnomalyRow) => +b.invoice_date - +a.invoice_date}
} as const;

export type AnomalyOrder = keyof typeof ANOMALY_ORDERS;

export function isAnomalyOrder(value: unknown): value is AnomalyOrder {
  return typeof value === "string" && Object.hasOwn(ANOMALY_ORDERS, value);
}

/** A copy of `rows` in the chosen order (ties: invoice date, then source file and line, ascending). */
export function sortAnomalies<T extends AnomalyRow>(rows: readonly T[], order: AnomalyOrder): T[] {
  const {compare} = ANOMALY_ORDERS[order];
  return [...rows].sort((a, b) => compare(a, b) || +a.invoice_date - +b.invoice_date || text(a.source_file, b.source_file) || a.source_line - b.source_line);
}

function text(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads a comma-separated list from the URL, keeping only allowed values (in their canonical order). */
export function parseList<T extends string>(param: string | null, allowed: readonly T[]): T[] {
  if (param === null) return [...allowed];
  const wanted = new Set(param.split(",").map((value) => value.trim().toLowerCase()));
  const kept = allowed.filter((value) => wanted.has(value.toLowerCase()));
  return kept.length ? kept : [...allowed];
}

/** Writes a selection for the URL: null (the parameter left out) when everything is selected. */
export function formatList<T extends string>(values: readonly T[], allowed: readonly T[]): string | null {
  return values.length === 0 || allowed.every((value) => values.includes(value)) ? null : allowed.filter((value) => values.includes(value)).join(",");
}
