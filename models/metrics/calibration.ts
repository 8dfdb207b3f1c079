import {checkBinary} from "./roc.js";

/** One bin of a reliability curve: predicted probabilities in [lower, upper). */
export interface CalibrationBin {
  lower: number;
  upper: number;
  /** Cases whose predicted probability falls in the bin. */
  count: number;
  /** Mean predicted probability of those cases (NaN when empty). */
  meanPredicted: number;
  /** Share of them that are positive (NaN when empty). */
  observedRate: number;
}

/**
 * Reliability curve: probabilities cut into `bins` equal-width bins over [0, 1] (1 falls in the last bin);
 * a calibrated model has observedRate ≈ meanPredicted in every bin.
 */
export function reliabilityCurve(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationBin[] {
  checkBinary(probabilities, labels);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`invalid bins; not a positive integer: ${bins}`);
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1)) throw new Error(`invalid probability at ${i}; not in [0, 1]: ${p}`);
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    count[bin]++;
    predicted[bin] += p;
    observed[bin] += labels[i];
  }
  return Array.from({length: bins}, (_, bin) => ({
    lower: bin / bins,
    upper: (bin + 1) / bins,
    count: count[bin],
    meanPredicted: count[bin] ? predicted[bin] / count[bin] : Number.NaN,
    observedRate: count[bin] ? observed[bin] / count[bin] : Number.NaN
  }));
}

/** Mean squared error of the probabilities (lower is better; 0.25 for always predicting 0.5). */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkBinary(probabilities, labels);
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += (probabilities[i] - labels[i]) ** 2;
  return sum / probabilities.length;
}

/** Negative mean log-likelihood (probabilities clipped to [1e-15, 1 − 1e-15]). */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkBinary(probabilities, labels);
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i]));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probabilities.length;
}
