/**
 * L2-regularised logistic regression, fitted exactly by Newton's method (iteratively reweighted least
 * squares). Features are standardised internally (the penalty then treats them alike); the intercept is not
 * penalised. Minimises −Σ log-likelihood + (l2 / 2)·‖β‖².
 */

/** Options of fitLogistic; every one has a default. */
export interface LogisticOptions {
  /** Ridge penalty on the standardised coefficients. Default: 1. */
  l2?: number;
  /** Newton iterations at most. Default: 100. */
  maxIterations?: number;
  /** Stop when no coefficient moves by more than this. Default: 1e-10. */
  tolerance?: number;
}

export const LOGISTIC_DEFAULTS = {l2: 1, maxIterations: 100, tolerance: 1e-10} as const;

export interface LogisticModel {
  /** Mean and standard deviation used to standardise each feature. */
  means: number[];
  sds: number[];
  intercept: number;
  /** Coefficients of the standardised features (log-odds per standard deviation). */
  coefficients: number[];
  iterations: number;
  converged: boolean;
}

export function fitLogistic(columns: readonly ArrayLike<number>[], labels: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const {l2, maxIterations, tolerance} = {...LOGISTIC_DEFAULTS, ...options};
  if (!(l2 >= 0)) throw new Error(`invalid l2; not a non-negative number: ${l2}`);
  const n = labels.length;
  const p = columns.length;
  for (let i = 0; i < n; i++) if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`invalid label at ${i}; expected 0 or 1: ${labels[i]}`);
  const means: number[] = [];
  const sds: number[] = [];
  const x = columns.map((column, f) => {
    if (column.length !== n) throw new Error(`feature ${f} has ${column.length} values, expected ${n}`);
    let mean = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(column[i])) throw new Error(`invalid value of feature ${f} at ${i}; not a finite number: ${column[i]}`);
      mean += column[i] / n;
    }
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (column[i] - mean) ** 2 / n;
    const sd = variance > 0 ? Math.sqrt(variance) : 1;
    means.push(mean);
    sds.push(sd);
    return Float64Array.from(column, (value) => (value - mean) / sd);
  });
  // Row-major design matrix with a leading 1 per row; beta[0] is the intercept, beta[1 + f] feature f's.
  const size = p + 1;
  const design = new Float64Array(n * size);
  for (let i = 0; i < n; i++) {
    design[i * size] = 1;
    for (let f = 0; f < p; f++) design[i * size + 1 + f] = x[f][i];
  }
  const beta = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const gradient = new Float64Array(size);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    hessian.fill(0);
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * size;
      let eta = 0;
      for (let a = 0; a < size; a++) eta += beta[a] * design[row + a];
      const prob = sigmoid(eta);
      // Floored so the Hessian stays invertible when the classes separate and probabilities saturate.
      const w = Math.max(prob * (1 - prob), 1e-12);
      const residual = labels[i] - prob;
      for (let a = 0; a < size; a++) {
        const xa = design[row + a];
        gradient[a] += xa * residual;
        const wxa = w * xa;
        const line = a * size;
        for (let b = 0; b <= a; b++) hessian[line + b] += wxa * design[row + b];
      }
    }
    for (let a = 1; a < size; a++) {
      gradient[a] -= l2 * beta[a];
      hessian[a * size + a] += l2;
    }
    for (let a = 0; a < size; a++) for (let b = a + 1; b < size; b++) hessian[a * size + b] = hessian[b * size + a];
    const step = solveSymmetric(hessian, gradient, size);
    let largest = 0;
    for (let a = 0; a < size; a++) {
      beta[a] += step[a];
      largest = Math.max(largest, Math.abs(step[a]));
    }
    converged = largest <= tolerance;
  }
  return {means, sds, intercept: beta[0], coefficients: Array.from(beta.subarray(1)), iterations, converged};
}

/** Probability of the positive class for each case. */
export function predictLogistic(model: LogisticModel, columns: readonly ArrayLike<number>[]): Float64Array {
  if (columns.length !== model.coefficients.length) throw new Error(`the model has ${model.coefficients.length} features, got ${columns.length}`);
  const n = columns[0]?.length ?? 0;
  return Float64Array.from({length: n}, (_, i) => {
    let eta = model.intercept;
    for (let f = 0; f < columns.length; f++) eta += (model.coefficients[f] * (columns[f][i] - model.means[f])) / model.sds[f];
    return sigmoid(eta);
  });
}

export function sigmoid(eta: number): number {
  return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
}

/** Solves A·x = b for a symmetric positive-definite A (row-major, size × size) by Cholesky decomposition. */
export function solveSymmetric(matrix: Float64Array, rhs: Float64Array, size: number): Float64Array {
  const lower = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * size + j];
      for (let k = 0; k < j; k++) sum -= lower[i * size + k] * lower[j * size + k];
      if (i === j) {
        if (!(sum > 0)) throw new Error(`matrix is not positive definite (pivot ${i}: ${sum}); add an l2 penalty or remove a constant or duplicate feature`);
        lower[i * size + i] = Math.sqrt(sum);
      } else {
        lower[i * size + j] = sum / lower[j * size + j];
      }
    }
  }
  const y = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = rhs[i];
    for (let k = 0; k < i; k++) sum -= lower[i * size + k] * y[k];
    y[i] = sum / lower[i * size + i];
  }
  const solution = new Float64Array(size);
  for (let i = size - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < size; k++) sum -= lower[k * size + i] * solution[k];
    solution[i] = sum / lower[i * size + i];
  }
  return solution;
}
