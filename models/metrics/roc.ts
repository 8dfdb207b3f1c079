/**
 * ROC analysis of a binary classifier's scores. Labels are 1 (positive: e.g. churned) or 0; a higher
 * score means "more likely positive". Ties between a positive and a negative count one half, so the
 * area equals the Mann–Whitney probability that a random positive outscores a random negative.
 */

export interface RocPoint {
  /** Scores ≥ threshold are called positive. */
  threshold: number;
  falsePositiveRate: number;
  truePositiveRate: number;
}

/** Indices of `scores`, highest score first (ties keep input order, so results are deterministic). */
export function byScoreDescending(scores: ArrayLike<number>): Uint32Array {
  const order = Uint32Array.from({length: scores.length}, (_, i) => i);
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

export function checkBinary(scores: ArrayLike<number>, labels: ArrayLike<number>): {positives: number; negatives: number} {
  if (scores.length !== labels.length) throw new Error(`scores and labels differ in length: ${scores.length} vs ${labels.length}`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) throw new Error(`invalid label at ${i}; expected 0 or 1: ${label}`);
    if (Number.isNaN(scores[i])) throw new Error(`invalid score at ${i}: NaN`);
    positives += label;
  }
  return {positives, negatives: labels.length - positives};
}

/** Area under the ROC curve (ties count one half). Throws when one class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const {positives, negatives} = checkBinary(scores, labels);
  if (positives === 0 || negatives === 0) throw new Error(`ROC-AUC needs both classes; got ${positives} positives and ${negatives} negatives`);
  // Sum of the (average) ranks of the positives, ascending.
  const order = byScoreDescending(scores).reverse();
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) if (labels[order[i]] === 1) rankSum += averageRank;
    start = end + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The ROC curve: one point per distinct score (from (0, 0) at +∞ to (1, 1)). */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] {
  const {positives, negatives} = checkBinary(scores, labels);
  if (positives === 0 || negatives === 0) throw new Error(`a ROC curve needs both classes; got ${positives} positives and ${negatives} negatives`);
  const order = byScoreDescending(scores);
  const points: RocPoint[] = [{threshold: Number.POSITIVE_INFINITY, falsePositiveRate: 0, truePositiveRate: 0}];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    if (labels[order[i]] === 1) tp++;
    else fp++;
    if (i + 1 === order.length || scores[order[i + 1]] !== scores[order[i]]) {
      points.push({threshold: scores[order[i]], falsePositiveRate: fp / negatives, truePositiveRate: tp / positives});
    }
  }
  return points;
}
