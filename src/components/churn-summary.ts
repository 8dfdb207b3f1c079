/**
 * The Churn page's answer: how many customers are at each risk level and what they are worth, and where
 * the value at risk sits (by segment). Pure functions over the at-risk rows (unit-tested).
 */
import {RISK_LEVELS, type RiskLevel} from "./risk-levels.js";

interface ScoredRow {
  risk_level: string | number | null;
  churn_probability: string | number | null;
  value_at_risk: string | number | null;
}

export interface RiskLevelSummary {
  level: RiskLevel;
  customers: number;
  valueAtRisk: number;
}

/** Customers and summed value at risk per risk level, High first (levels with no customers included). */
export function riskSummary(rows: readonly ScoredRow[]): RiskLevelSummary[] {
  const summary = new Map(RISK_LEVELS.map((level) => [level as string, {level, customers: 0, valueAtRisk: 0}]));
  for (const row of rows) {
    const entry = summary.get(String(row.risk_level));
    if (!entry) continue;
    entry.customers += 1;
    entry.valueAtRisk += Number(row.value_at_risk);
  }
  return [...summary.values()];
}

export interface ProbabilityBin {
  /** Lower end of the bin (inclusive); the last bin also holds 1. */
  from: number;
  to: number;
  level: RiskLevel;
  customers: number;
}

/**
 * Customers by churn probability in bins of `step` (default 5 points), each bin coloured by the risk level
 * of its lower end (the level thresholds fall on bin edges when they are multiples of the step).
 */
export function probabilityBins(rows: readonly ScoredRow[], levelOf: (p: number) => RiskLevel, step = 0.05): ProbabilityBin[] {
  const count = Math.round(1 / step);
  const bins: ProbabilityBin[] = Array.from({length: count}, (_, i) => {
    const from = Math.round(i * step * 1e6) / 1e6;
    return {from, to: Math.round((i + 1) * step * 1e6) / 1e6, level: levelOf(from), customers: 0};
  });
  for (const row of rows) {
    const p = Number(row.churn_probability);
    if (!(p >= 0 && p <= 1)) continue;
    bins[Math.min(count - 1, Math.floor(p / step + 1e-9))]!.customers += 1;
  }
  return bins;
}

export interface SegmentRisk {
  segment: string;
  level: RiskLevel;
  customers: number;
  valueAtRisk: number;
}

/**
 * Value at risk per segment (the field `key` of each row: an RFM or k-means segment) and risk level;
 * segments ordered by their total value at risk, largest first.
 */
export function valueAtRiskBySegment<T extends ScoredRow>(rows: readonly T[], key: keyof T): SegmentRisk[] {
  const cells = new Map<string, SegmentRisk>();
  const totals = new Map<string, number>();
  for (const row of rows) {
    const level = String(row.risk_level) as RiskLevel;
    if (!(RISK_LEVELS as readonly string[]).includes(level)) continue;
    const segment = row[key] === null || row[key] === undefined ? "No segment" : String(row[key]);
    const id = `${segment}\u0000${level}`;
    const cell = cells.get(id) ?? {segment, level, customers: 0, valueAtRisk: 0};
    cell.customers += 1;
    cell.valueAtRisk += Number(row.value_at_risk);
    cells.set(id, cell);
    totals.set(segment, (totals.get(segment) ?? 0) + Number(row.value_at_risk));
  }
  const order = (segment: string) => totals.get(segment) ?? 0;
  return [...cells.values()].sort(
    (a, b) => order(b.segment) - order(a.segment) || a.segment.localeCompare(b.segment) || RISK_LEVELS.indexOf(a.level) - RISK_LEVELS.indexOf(b.level)
  );
}
