import {LuDecomposition, Matrix, solve} from "ml-matrix";

/** A linear model y ≈ Xβ fitted by (ridge-regularised) least squares. */
export interface LinearFit {
  coefficients: number[];
  /** Residual standard deviation (divides by n − p when n > p, else NaN). */
  sigma: number;
  n: number;
}

export interface LinearOptions {
  /** Ridge penalty on every coefficient but the first (the intercept); 0 = ordinary least squares. Default: 0. */
  lambda?: number;
}

/**
 * Least squares through the normal equations (XᵀX + λI)β = Xᵀy, solved with ml-matrix: LU, or SVD when
 * the design is rank-deficient (then the minimum-norm solution instead of failing). The first column is taken
 * to be the intercept and is not penalised.
 */
export function fitLinear(rows: readonly (readonly number[])[], targets: ArrayLike<number>, {lambda = 0}: LinearOptions = {}): LinearFit {
  if (!(lambda >= 0)) throw new Error(`invalid lambda; not a non-negative number: ${lambda}`);
  if (rows.length !== targets.length) throw new Error(`rows and targets differ in length: ${rows.length} and ${targets.length}`);
  if (rows.length === 0) throw new Error("no rows to fit");
  const p = rows[0].length;
  const gram = Matrix.zeros(p, p);
  const moment = Matrix.zeros(p, 1);
  rows.forEach((row, i) => {
    if (row.length !== p) throw new Error(`row ${i} has ${row.length} values; expected ${p}`);
    for (let j = 0; j < p; j++) {
      moment.set(j, 0, moment.get(j, 0) + row[j] * targets[i]);
      for (let k = 0; k < p; k++) gram.set(j, k, gram.get(j, k) + row[j] * row[k]);
    }
  });
  for (let j = 1; j < p; j++) gram.set(j, j, gram.get(j, j) + lambda);
  const lu = new LuDecomposition(gram);
  const coefficients = (lu.isSingular() ? solve(gram, moment, true) : lu.solve(moment)).to1DArray();
  let sse = 0;
  rows.forEach((row, i) => (sse += (targets[i] - predictLinear(coefficients, row)) ** 2));
  return {coefficients, sigma: rows.length > p ? Math.sqrt(sse / (rows.length - p)) : Number.NaN, n: rows.length};
}

export function predictLinear(coefficients: readonly number[], row: readonly number[]): number {
  let sum = 0;
  for (let j = 0; j < coefficients.length; j++) sum += coefficients[j] * row[j];
  return sum;
}
