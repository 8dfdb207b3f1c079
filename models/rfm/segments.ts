/**
 * Named RFM segments from the recency (R) and frequency (F) scores, 1–5 each: the widely used R×F grid.
 * Monetary value is scored too (and is part of the RFM cell and total) but does not change the name:
 * it moves with frequency for most customers. Every (R, F) pair has exactly one segment.
 *
 *   R \ F   1                2                    3                    4          5
 *   5       New              Potential loyalists  Potential loyalists  Champions  Champions
 *   4       Promising        Potential loyalists  Potential loyalists  Loyal      Loyal
 *   3       About to sleep   About to sleep       Need attention       Loyal      Loyal
 *   1–2     Hibernating      Hibernating          At risk              At risk    Can't lose
 */
export const RFM_SEGMENTS = [
  {name: "Champions", rule: "R 5, F 4–5", description: "Bought recently, buy often: reward them, ask for reviews"},
  {name: "Loyal", rule: "R 3–4, F 4–5", description: "Buy often, fairly recently: upsell, loyalty programme"},
  {name: "Potential loyalists", rule: "R 4–5, F 2–3", description: "Recent customers with a few orders: offer membership"},
  {name: "New", rule: "R 5, F 1", description: "First purchase very recently: onboard them"},
  {name: "Promising", rule: "R 4, F 1", description: "Recent one-time buyers: build the habit"},
  {name: "Need attention", rule: "R 3, F 3", description: "Average recency and frequency: limited-time offers"},
  {name: "About to sleep", rule: "R 3, F 1–2", description: "Below average and slipping: reactivate"},
  {name: "At risk", rule: "R 1–2, F 3–4", description: "Used to buy often, not lately: win them back"},
  {name: "Can't lose", rule: "R 1–2, F 5", description: "Best customers who have gone quiet: reach out personally"},
  {name: "Hibernating", rule: "R 1–2, F 1–2", description: "Long gone, few orders: low-cost reactivation or let go"}
] as const;

export type RfmSegmentName = (typeof RFM_SEGMENTS)[number]["name"];

/** The segment of an (R, F) pair of scores (integers 1–5). */
export function rfmSegment(r: number, f: number): RfmSegmentName {
  if (!Number.isInteger(r) || r < 1 || r > 5) throw new Error(`invalid recency score; not an integer from 1 to 5: ${r}`);
  if (!Number.isInteger(f) || f < 1 || f > 5) throw new Error(`invalid frequency score; not an integer from 1 to 5: ${f}`);
  if (r <= 2) return f <= 2 ? "Hibernating" : f <= 4 ? "At risk" : "Can't lose";
  if (r === 3) return f <= 2 ? "About to sleep" : f === 3 ? "Need attention" : "Loyal";
  if (f >= 4) return r === 5 ? "Champions" : "Loyal";
  if (f >= 2) return "Potential loyalists";
  return r === 5 ? "New" : "Promising";
}
