import {fitLogistic, sigmoid} from "../logistic.js";

/** Platt scaling: p' = σ(a + b · logit(p)), fitted by maximum likelihood (with a negligible ridge). */
export interface Platt {
  intercept: number;
  slope: number;
}

const EPSILON = 1e-6;

function logit(p: number): number {
  const clipped = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(clipped / (1 - clipped));
}

/**
 * Fits Platt scaling on held-apart scores (e.g. a forest's out-of-bag probabilities on its training
 * cases, never the evaluation cases). Scores that are NaN are skipped.
 */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): Platt {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) continue;
    x.push(logit(scores[i]));
    y.push(labels[i]);
  }
  // A negligible ridge keeps the fit finite when the scores separate the classes perfectly.
  const model = fitLogistic([x], y, {l2: 1e-3});
  // Back from the standardised feature to logit(p).
  const slope = model.coefficients[0] / model.sds[0];
  return {intercept: model.intercept - slope * model.means[0], slope};
}

export function applyPlatt(platt: Platt, scores: ArrayLike<number>): Float64Array {
  return Float64Array.from({length: scores.length}, (_, i) => sigmoid(platt.intercept + platt.slope * logit(scores[i])));
}
