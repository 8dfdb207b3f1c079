/**
 * Human names for k-means segments from their centroids in standardised log-RFM space (z-scores: 0 is
 * the average customer, ±1 one standard deviation). Value v = (frequency z + monetary z) / 2:
 * High value v ≥ 1, Mid value 0.25 ≤ v < 1, Average −0.25 < v < 0.25, Low value v ≤ −0.25. Recency r
 * (higher = longer ago): recent r ≤ −0.5, lapsed r ≥ 0.5, otherwise steady.
 *
 *                 recent              steady                  lapsed
 *   High value    High value loyal    High value steady       High value lapsing
 *   Mid value     Mid value active    Mid value regulars      Mid value lapsing
 *   Average       Recent occasional   Average regulars        Lapsing occasional
 *   Low value     New buyers          Low value occasional    Lapsed low value
 *
 * Two segments with the same name get " 2", " 3", … in order of decreasing value.
 */
const NAMES = {
  high: {recent: "High value loyal", steady: "High value steady", lapsed: "High value lapsing"},
  mid: {recent: "Mid value active", steady: "Mid value regulars", lapsed: "Mid value lapsing"},
  average: {recent: "Recent occasional", steady: "Average regulars", lapsed: "Lapsing occasional"},
  low: {recent: "New buyers", steady: "Low value occasional", lapsed: "Lapsed low value"}
} as const;

export interface SegmentName {
  name: string;
  /** The levels the name comes from, e.g. "recency −1.27 (recent), value 1.51 (high)". */
  naming: string;
}

/** Names for centroids given as [recency z, frequency z, monetary z]. */
export function nameSegments(centroids: readonly (readonly number[])[]): SegmentName[] {
  const described = centroids.map(([r, f, m], index) => {
    if (![r, f, m].every(Number.isFinite)) throw new Error(`invalid centroid ${index}; expected three finite numbers: ${JSON.stringify(centroids[index])}`);
    const value = (f + m) / 2;
    const valueLevel = value >= 1 ? "high" : value >= 0.25 ? "mid" : value > -0.25 ? "average" : "low";
    const recencyLevel = r <= -0.5 ? "recent" : r >= 0.5 ? "lapsed" : "steady";
    return {
      index,
      value,
      base: NAMES[valueLevel][recencyLevel] as string,
      naming: `recency z ${r.toFixed(2)} (${recencyLevel}), value z ${value.toFixed(2)} (${valueLevel}: frequency ${f.toFixed(2)}, monetary ${m.toFixed(2)})`
    };
  });
  const names = described.map((segment) => segment.base);
  for (const base of new Set(names)) {
    const same = described.filter((segment) => segment.base === base).sort((a, b) => b.value - a.value || a.index - b.index);
    if (same.length > 1) same.forEach((segment, rank) => (names[segment.index] = rank === 0 ? base : `${base} ${rank + 1}`));
  }
  return described.map((segment) => ({name: names[segment.index], naming: segment.naming}));
}
