import {gaussian, mulberry32} from "../random.js";
import {transpose, type Csr} from "./sparse.js";

/**
 * Implicit-feedback alternating least squares (Hu, Koren and Volinsky 2008) on typed arrays. Every
 * observed (user, item) pair has preference 1 and confidence 1 + alpha·r (r: the matrix value, e.g. a
 * purchase count); unobserved pairs have preference 0 and confidence 1. Each half-step solves every row's
 * regularised weighted least-squares problem with a few conjugate-gradient steps, warm-started from the
 * previous factors (Takács et al. 2011), so a sweep costs O(nnz·k) rather than O(nnz·k²).
 */

export interface AlsOptions {
  /** Latent factors. Default: 32. */
  factors?: number;
  /** L2 regularisation. Default: 0.1. */
  regularization?: number;
  /** Confidence slope: c = 1 + alpha·r. Default: 10. */
  alpha?: number;
  /** Alternating sweeps (users, then items). Default: 15. */
  iterations?: number;
  /** Conjugate-gradient steps per row and sweep. Default: 3. */
  cgSteps?: number;
  /** Seed of the initial factors. Default: 42. */
  seed?: number;
  /**
   * Start from these factors instead of random ones (a warm start, e.g. from a fit on an earlier window:
   * it converges in fewer sweeps). Must match the matrix's shape and `factors`.
   */
  initial?: Pick<AlsModel, "userFactors" | "itemFactors">;
}

export interface AlsModel {
  factors: number;
  users: number;
  items: number;
  /** Row-major users × factors. */
  userFactors: Float64Array;
  /** Row-major items × factors. */
  itemFactors: Float64Array;
}

export const DEFAULT_ALS_OPTIONS = {factors: 32, regularization: 0.1, alpha: 10, iterations: 15, cgSteps: 3, seed: 42} as const;

/** Fits ALS to a users × items matrix of non-negative interaction strengths. */
export function fitAls(matrix: Csr, options: AlsOptions = {}): AlsModel {
  const {factors: k, regularization, alpha, iterations, cgSteps, seed, initial} = {...DEFAULT_ALS_OPTIONS, ...options};
  for (const [name, value] of [
    ["factors", k],
    ["iterations", iterations],
    ["cgSteps", cgSteps]
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`invalid ${name}; not a positive integer: ${value}`);
  }
  if (!(regularization >= 0)) throw new Error(`invalid regularization; not a non-negative number: ${regularization}`);
  if (!(alpha >= 0)) throw new Error(`invalid alpha; not a non-negative number: ${alpha}`);
  for (const value of matrix.values) if (!(value >= 0)) throw new Error(`invalid interaction strength; not a non-negative number: ${value}`);
  const random = mulberry32(seed);
  const init = (n: number) => Float64Array.from({length: n * k}, () => gaussian(random) * 0.01);
  if (initial && (initial.userFactors.length !== matrix.rows * k || initial.itemFactors.length !== matrix.cols * k)) {
    throw new Error(
      `initial factors do not fit: ${initial.userFactors.length} and ${initial.itemFactors.length} values for ${matrix.rows} users, ${matrix.cols} items and ${k} factors`
    );
  }
  const userFactors = initial ? Float64Array.from(initial.userFactors) : init(matrix.rows);
  const itemFactors = initial ? Float64Array.from(initial.itemFactors) : init(matrix.cols);
  const byItem = transpose(matrix);
  for (let sweep = 0; sweep < iterations; sweep++) {
    solveRows(matrix, userFactors, itemFactors, k, regularization, alpha, cgSteps);
    solveRows(byItem, itemFactors, userFactors, k, regularization, alpha, cgSteps);
  }
  return {factors: k, users: matrix.rows, items: matrix.cols, userFactors, itemFactors};
}

/** One half-step: updates every row of `target` given the fixed `other` factors. */
function solveRows(matrix: Csr, target: Float64Array, other: Float64Array, k: number, regularization: number, alpha: number, cgSteps: number) {
  const gram = gramian(other, k, regularization);
  const r = new Float64Array(k);
  const p = new Float64Array(k);
  const ap = new Float64Array(k);
  const {rows, offsets, columns, values} = matrix;
  for (let row = 0; row < rows; row++) {
    const x = target.subarray(row * k, row * k + k);
    if (offsets[row + 1] === offsets[row]) {
      // No interactions: the regularised solution is zero.
      x.fill(0);
      continue;
    }
    // r = b − A·x, with A = YᵀY + λI + Σ (c − 1)·y yᵀ and b = Σ c·y over the row's observed columns.
    multiply(gram, x, r, k);
    for (let j = 0; j < k; j++) r[j] = -r[j];
    for (let e = offsets[row]; e < offsets[row + 1]; e++) {
      const y = columns[e] * k;
      const confidence = 1 + alpha * values[e];
      const weight = confidence - (confidence - 1) * dot(other, y, x, 0, k);
      axpy(weight, other, y, r, k);
    }
    p.set(r);
    let rsOld = 0;
    for (let j = 0; j < k; j++) rsOld += r[j] * r[j];
    for (let step = 0; step < cgSteps && rsOld > 1e-20; step++) {
      multiply(gram, p, ap, k);
      for (let e = offsets[row]; e < offsets[row + 1]; e++) {
        const y = columns[e] * k;
        const extra = alpha * values[e];
        axpy(extra * dot(other, y, p, 0, k), other, y, ap, k);
      }
      let pap = 0;
      for (let j = 0; j < k; j++) pap += p[j] * ap[j];
      if (!(pap > 0)) break;
      const step_ = rsOld / pap;
      let rsNew = 0;
      for (let j = 0; j < k; j++) {
        x[j] += step_ * p[j];
        r[j] -= step_ * ap[j];
        rsNew += r[j] * r[j];
      }
      const ratio = rsNew / rsOld;
      for (let j = 0; j < k; j++) p[j] = r[j] + ratio * p[j];
      rsOld = rsNew;
    }
  }
}

/** YᵀY + λI (k × k, row-major). */
function gramian(factors: Float64Array, k: number, regularization: number): Float64Array {
  const gram = new Float64Array(k * k);
  const n = factors.length / k;
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let a = 0; a < k; a++) {
      const fa = factors[base + a];
      if (fa === 0) continue;
      for (let b = a; b < k; b++) gram[a * k + b] += fa * factors[base + b];
    }
  }
  for (let a = 0; a < k; a++) {
    gram[a * k + a] += regularization;
    for (let b = 0; b < a; b++) gram[a * k + b] = gram[b * k + a];
  }
  return gram;
}

function multiply(matrix: Float64Array, vector: Float64Array, out: Float64Array, k: number) {
  for (let a = 0; a < k; a++) {
    let sum = 0;
    for (let b = 0; b < k; b++) sum += matrix[a * k + b] * vector[b];
    out[a] = sum;
  }
}

/** The predicted preference of `user` for every item (x_u · y_i), written into `out`. */
export function scoreItems(model: AlsModel, user: number, out: Float64Array = new Float64Array(model.items)): Float64Array {
  const {factors: k, userFactors, itemFactors, items} = model;
  const base = user * k;
  for (let i = 0; i < items; i++) out[i] = dot(itemFactors, i * k, userFactors, base, k);
  return out;
}

/** ALS scores of the given items only (the rest of `out` is left as it was). */
export function scoreSomeItems(model: AlsModel, user: number, items: ArrayLike<number>, out: Float64Array): void {
  const {factors: k, userFactors, itemFactors} = model;
  const base = user * k;
  for (let i = 0; i < items.length; i++) out[items[i]] = dot(itemFactors, items[i] * k, userFactors, base, k);
}

/** The rows of `itemFactors` for `items`, packed one after another (a catalogue's factors, for scoreRows). */
export function packRows(itemFactors: Float64Array, items: ArrayLike<number>, k: number): Float64Array {
  const rows = new Float64Array(items.length * k);
  for (let i = 0; i < items.length; i++) rows.set(itemFactors.subarray(items[i] * k, items[i] * k + k), i * k);
  return rows;
}

/**
 * `out[i] = rows[i] · userFactors[user]` for each of `count` packed rows: the hot loop of a fit (every customer
 * × the catalogue). Bit for bit the sums `dot` makes; with the default 16 factors the customer's vector is held
 * in locals, three times faster than calling `dot` per item.
 */
export function scoreRows(rows: Float64Array, count: number, k: number, userFactors: Float64Array, user: number, out: Float64Array): void {
  const b = user * k;
  if (k !== 16) {
    for (let i = 0; i < count; i++) out[i] = dot(rows, i * k, userFactors, b, k);
    return;
  }
  const [u0, u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, u12, u13, u14, u15] = userFactors.subarray(b, b + 16);
  for (let i = 0, a = 0; i < count; i++, a += 16) {
    // The four partial sums of `dot`, in its order.
    const s0 = 0 + rows[a] * u0! + rows[a + 4] * u4! + rows[a + 8] * u8! + rows[a + 12] * u12!;
    const s1 = 0 + rows[a + 1] * u1! + rows[a + 5] * u5! + rows[a + 9] * u9! + rows[a + 13] * u13!;
    const s2 = 0 + rows[a + 2] * u2! + rows[a + 6] * u6! + rows[a + 10] * u10! + rows[a + 14] * u14!;
    const s3 = 0 + rows[a + 3] * u3! + rows[a + 7] * u7! + rows[a + 11] * u11! + rows[a + 15] * u15!;
    out[i] = s0 + s1 + s2 + s3;
  }
}

/** Σ a[aAt + j]·b[bAt + j] for j < k (unrolled by four: k is small and this is the inner loop). */
export function dot(a: Float64Array, aAt: number, b: Float64Array, bAt: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < k; j += 4) {
    s0 += a[aAt + j] * b[bAt + j];
    s1 += a[aAt + j + 1] * b[bAt + j + 1];
    s2 += a[aAt + j + 2] * b[bAt + j + 2];
    s3 += a[aAt + j + 3] * b[bAt + j + 3];
  }
  for (; j < k; j++) s0 += a[aAt + j] * b[bAt + j];
  return s0 + s1 + s2 + s3;
}

/** out[j] += scale·a[aAt + j] for j < k. */
function axpy(scale: number, a: Float64Array, aAt: number, out: Float64Array, k: number): void {
  // Unrolled by four like `dot` (each element's arithmetic is the loop's): a third of an ALS fit's time is here.
  let j = 0;
  for (; j + 3 < k; j += 4) {
    out[j] += scale * a[aAt + j];
    out[j + 1] += scale * a[aAt + j + 1];
    out[j + 2] += scale * a[aAt + j + 2];
    out[j + 3] += scale * a[aAt + j + 3];
  }
  for (; j < k; j++) out[j] += scale * a[aAt + j];
}
