import {quantileScores} from "./scores.js";
import {rfmSegment, type RfmSegmentName} from "./segments.js";

/** Per-customer inputs, one array entry per customer. */
export interface RfmInput {
  /** Days since the last purchase (lower is better). */
  recency: ArrayLike<number>;
  /** Number of purchases (higher is better). */
  frequency: ArrayLike<number>;
  /** Net spend (higher is better). */
  monetary: ArrayLike<number>;
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
  /** The three scores as a cell code, e.g. "545". */
  cell: string;
  /** r + f + m (3–15). */
  total: number;
  segment: RfmSegmentName;
}

/** Quintile scores and named segments for every customer, in input order. */
export function scoreRfm(input: RfmInput): RfmScore[] {
  const n = input.recency.length;
  if (input.frequency.length !== n || input.monetary.length !== n) {
    throw new Error(`RFM inputs differ in length: recency ${n}, frequency ${input.frequency.length}, monetary ${input.monetary.length}`);
  }
  const r = quantileScores(input.recency, "lower");
  const f = quantileScores(input.frequency, "higher");
  const m = quantileScores(input.monetary, "higher");
  return Array.from({length: n}, (_, i) => ({
    r: r[i],
    f: f[i],
    m: m[i],
    cell: `${r[i]}${f[i]}${m[i]}`,
    total: r[i] + f[i] + m[i],
    segment: rfmSegment(r[i], f[i])
  }));
}
