import {checkBinary} from "./roc.js";

/** Counts and rates when scores ≥ threshold are called positive. */
export interface Confusion {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

export function confusionAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Confusion {
  checkBinary(scores, labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const called = scores[i] >= threshold;
    if (labels[i] === 1) called ? tp++ : fn++;
    else called ? fp++ : tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    accuracy: (tp + tn) / scores.length
  };
}

/**
 * The threshold that maximises F1 on the given (training or out-of-bag) scores: chosen without looking at
 * the evaluation data. Candidates are the distinct scores; ties go to the higher threshold.
 */
export function bestF1Threshold(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const {positives} = checkBinary(scores, labels);
  if (positives === 0) throw new Error("choosing a threshold needs at least one positive");
  const order = Uint32Array.from({length: scores.length}, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  let tp = 0;
  let best = {f1: -1, threshold: Number.POSITIVE_INFINITY};
  for (let i = 0; i < order.length; i++) {
    if (labels[order[i]] === 1) tp++;
    if (i + 1 < order.length && scores[order[i + 1]] === scores[order[i]]) continue;
    const f1 = (2 * tp) / (i + 1 + positives);
    if (f1 > best.f1) best = {f1, threshold: scores[order[i]]};
  }
  return best.threshold;
}
