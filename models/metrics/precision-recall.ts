import {byScoreDescending, checkBinary} from "./roc.js";

/** A point of the precision–recall curve: calling scores ≥ threshold positive. */
export interface PrPoint {
  threshold: number;
  recall: number;
  precision: number;
}

/** The precision–recall curve, one point per distinct score, highest threshold first. */
export function precisionRecallCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrPoint[] {
  const {positives} = checkBinary(scores, labels);
  if (positives === 0) throw new Error("a precision–recall curve needs at least one positive");
  const order = byScoreDescending(scores);
  const points: PrPoint[] = [];
  let tp = 0;
  for (let i = 0; i < order.length; i++) {
    if (labels[order[i]] === 1) tp++;
    if (i + 1 === order.length || scores[order[i + 1]] !== scores[order[i]]) {
      points.push({threshold: scores[order[i]], recall: tp / positives, precision: tp / (i + 1)});
    }
  }
  return points;
}

/**
 * Area under the precision–recall curve as average precision: Σ (Rₙ − Rₙ₋₁) · Pₙ over the distinct
 * thresholds (a step function, no interpolation; scikit-learn's average_precision_score). A classifier
 * that scores at random gets about the share of positives.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let previousRecall = 0;
  let area = 0;
  for (const point of precisionRecallCurve(scores, labels)) {
    area += (point.recall - previousRecall) * point.precision;
    previousRecall = point.recall;
  }
  return area;
}
