import type {Fitted, Model} from "../dialect.js";
import {notEvaluatedRow, notFittedRow} from "../metrics.js";
import {fitBreakpoints, scoreValue, type Breakpoints} from "./breakpoints.js";
import {backtestRows} from "./backtest.js";
import {scoreRfm, type RfmInput, type RfmScore} from "./rfm.js";
import {RFM_SEGMENTS, rfmSegment} from "./segments.js";
import {median, mean} from "../stats.js";

/** Segment of customers whose first purchase is after the cut-off, in rfm_segment_movement. */
export const NEW_SINCE_CUTOFF = "(new since cut-off)";

/**
 * The fit's data: every identified customer as of the fit window's end (the breakpoints come from them),
 * and the back-test sample: customers as of the churn cut-off with whether they bought in the 90 days after.
 */
export interface RfmFitData {
  customers: RfmInput;
  backtest: RfmInput & {customer_id: ArrayLike<number>; churned: ArrayLike<number>; cutoff: string | null};
}

/** RFM has no options: quintiles and the R×F grid are its definition. */
export type RfmOptions = Record<never, never>;

/** Today's customers (customer_metrics), one entry each. */
export interface RfmScoreData {
  customer_id: ArrayLike<number>;
  country: readonly (string | null)[];
  recency_days: ArrayLike<number>;
  frequency: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

/** The fitted quintile breakpoints, and the back-test's segments (for the summary's back-test columns and the movement). */
export interface RfmArtefact {
  /** Customers the breakpoints come from (0: not fitted). */
  customers: number;
  recency: Breakpoints;
  frequency: Breakpoints;
  monetary: Breakpoints;
  backtest: {cutoff: string | null; customer_id: Float64Array; segment: string[]; bought: Uint8Array};
}

/** The rows of rfm_segments, rfm_segment_summary and rfm_segment_movement (loaders/schema/customer-models.ts). */
export interface RfmScores {
  segments: Record<string, number | string | null>[];
  summary: Record<string, number | string | null>[];
  movement: Record<string, number | string | null>[];
}

export const defaults: Readonly<Required<RfmOptions>> = {};

export function options(partial?: Partial<RfmOptions>): Required<RfmOptions> {
  const unknown = Object.keys(partial ?? {});
  if (unknown.length > 0) throw new Error(`invalid rfm option; unknown: ${unknown[0]} (RFM has no options)`);
  return {};
}

/** Quintile breakpoints from the fit window's customers, and the back-test: the same scoring as of the cut-off. */
export function fit(data: RfmFitData, partial?: Partial<RfmOptions>): Fitted<RfmArtefact> {
  options(partial);
  const {customers, backtest} = data;
  const n = customers.recency.length;
  const past = scoreRfm(backtest);
  const bought = Uint8Array.from(backtest.churned, (churned) => 1 - churned);
  const artefact: RfmArtefact = {
    customers: n,
    recency: fitBreakpoints(customers.recency, "lower"),
    frequency: fitBreakpoints(customers.frequency, "higher"),
    monetary: fitBreakpoints(customers.monetary, "higher"),
    backtest: {cutoff: backtest.cutoff, customer_id: Float64Array.from(backtest.customer_id), segment: past.map((score) => score.segment), bought}
  };
  const repurchased = bought.reduce((sum, value) => sum + value, 0);
  if (n === 0) return {artefact, metrics: [notFittedRow("rfm", "No customers with a customer id: RFM scores need identified customers.")]};
  if (repurchased === 0 || repurchased === bought.length) {
    const why = `Not back-tested: ${bought.length} customers were seen before ${backtest.cutoff ?? "the cut-off"}, ${repurchased} of whom bought again; the back-test needs some of each.`;
    return {artefact, metrics: [notEvaluatedRow("rfm", "rfm_score", why)]};
  }
  return {artefact, metrics: backtestRows(past, bought, backtest.cutoff)};
}

/** Today's customers scored with the fitted breakpoints; the summary and movement against the back-test's segments. */
export function score(artefact: RfmArtefact, data: RfmScoreData): RfmScores {
  if (artefact.customers === 0) return {segments: [], summary: summary(artefact, data, []), movement: []};
  const scores: RfmScore[] = Array.from({length: data.customer_id.length}, (_, i) => {
    const r = scoreValue(artefact.recency, data.recency_days[i]);
    const f = scoreValue(artefact.frequency, data.frequency[i]);
    const m = scoreValue(artefact.monetary, data.monetary[i]);
    return {r, f, m, cell: `${r}${f}${m}`, total: r + f + m, segment: rfmSegment(r, f)};
  });
  const segments = scores.map((score, i) => ({
    customer_id: data.customer_id[i],
    country: data.country[i],
    recency_days: data.recency_days[i],
    frequency: data.frequency[i],
    monetary: data.monetary[i],
    r_score: score.r,
    f_score: score.f,
    m_score: score.m,
    rfm_cell: score.cell,
    rfm_score: score.total,
    segment: score.segment
  }));
  return {segments, summary: summary(artefact, data, scores), movement: movement(artefact, data, scores)};
}

function summary(artefact: RfmArtefact, today: RfmScoreData, scores: readonly RfmScore[]) {
  let totalRevenue = 0;
  for (let i = 0; i < scores.length; i++) totalRevenue += today.monetary[i];
  const {segment: pastSegments, bought} = artefact.backtest;
  return RFM_SEGMENTS.map((segment, order) => {
    const members = scores.flatMap((score, i) => (score.segment === segment.name ? [i] : []));
    const past = pastSegments.flatMap((name, i) => (name === segment.name ? [i] : []));
    const revenue = members.reduce((sum, i) => sum + today.monetary[i], 0);
    return {
      segment: segment.name,
      rule: segment.rule,
      action: segment.description,
      display_order: order + 1,
      customers: members.length,
      customer_share: members.length / scores.length,
      revenue,
      revenue_share: totalRevenue ? revenue / totalRevenue : null,
      median_recency_days: median(members.map((i) => today.recency_days[i])),
      median_frequency: median(members.map((i) => today.frequency[i])),
      median_monetary: median(members.map((i) => today.monetary[i])),
      backtest_customers: past.length,
      backtest_repurchase_rate: past.length ? mean(past.map((i) => bought[i])) : null
    };
  });
}

function movement(artefact: RfmArtefact, today: RfmScoreData, scores: readonly RfmScore[]) {
  const {cutoff, customer_id: pastIds, segment: pastSegments} = artefact.backtest;
  const before = new Map<number, string>();
  pastIds.forEach((id, i) => before.set(id, pastSegments[i]));
  const order = new Map<string, number>(RFM_SEGMENTS.map((segment, i) => [segment.name, i]));
  order.set(NEW_SINCE_CUTOFF, RFM_SEGMENTS.length);
  const counts = new Map<string, number>();
  const fromTotals = new Map<string, number>();
  scores.forEach((score, i) => {
    const from = before.get(today.customer_id[i]) ?? NEW_SINCE_CUTOFF;
    const key = `${from}\u0000${score.segment}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    fromTotals.set(from, (fromTotals.get(from) ?? 0) + 1);
  });
  return [...counts]
    .map(([key, customers]) => {
      const [from, to] = key.split("\u0000");
      return {from_segment: from, to_segment: to, customers, share_of_from: customers / fromTotals.get(from)!, cutoff};
    })
    .sort((a, b) => order.get(a.from_segment)! - order.get(b.from_segment)! || order.get(a.to_segment)! - order.get(b.to_segment)!);
}

export const rfmModel = {name: "rfm", defaults, options, fit, score} satisfies Model<RfmFitData, RfmOptions, RfmArtefact, RfmScoreData, RfmScores>;
