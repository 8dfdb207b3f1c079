/**
 * Quantile scores 1…`levels` (quintiles by default) from ranks. A value's percentile is
 * (average rank − ½) / n, where ties share their average rank, so equal values always get the same score:
 * with many ties (most customers bought once) a score can be empty and its neighbour larger than 1/levels.
 * score = ⌊levels · percentile⌋ + 1, counted so that `better` values score higher.
 */
export function quantileScores(values: ArrayLike<number>, better: "higher" | "lower", levels = 5): Uint8Array {
  if (!Number.isInteger(levels) || levels < 2 || levels > 255) throw new Error(`invalid levels; not an integer from 2 to 255: ${levels}`);
  const n = values.length;
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) throw new Error(`invalid value at ${i}; not a finite number: ${values[i]}`);
  const sign = better === "higher" ? 1 : -1;
  const order = Uint32Array.from({length: n}, (_, i) => i).sort((a, b) => sign * (values[a] - values[b]) || a - b);
  const scores = new Uint8Array(n);
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]] === values[order[start]]) end++;
    const percentile = ((start + end) / 2 + 1 - 0.5) / n;
    const score = Math.min(levels, Math.floor(levels * percentile) + 1);
    for (let i = start; i <= end; i++) scores[order[i]] = score;
    start = end + 1;
  }
  return scores;
}
