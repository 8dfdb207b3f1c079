/**
 * Quantile scores 1…`levels` (quintiles by default): score = 1 + ⌊levels × share of customers with a
 * strictly worse value⌋, so a 5 beats at least 80% of customers. Equal values always get the same score,
 * and the worst value always scores 1: every one-time buyer has frequency score 1 however many of them
 * there are (then score 2 or more may be empty). With distinct values each score holds a fifth.
 */
export function quantileScores(values: ArrayLike<number>, better: "higher" | "lower", levels = 5): Uint8Array {
  if (!Number.isInteger(levels) || levels < 2 || levels > 255) throw new Error(`invalid levels; not an integer from 2 to 255: ${levels}`);
  const n = values.length;
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) throw new Error(`invalid value at ${i}; not a finite number: ${values[i]}`);
  const sign = better === "higher" ? 1 : -1;
  // Worst first.
  const order = Uint32Array.from({length: n}, (_, i) => i).sort((a, b) => sign * (values[a] - values[b]) || a - b);
  const scores = new Uint8Array(n);
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]] === values[order[start]]) end++;
    // `start` customers have a strictly worse value than this group.
    const score = Math.min(levels, Math.floor((levels * start) / n) + 1);
    for (let i = start; i <= end; i++) scores[order[i]] = score;
    start = end + 1;
  }
  return scores;
}
