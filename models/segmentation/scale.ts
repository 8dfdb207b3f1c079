/** Feature columns → row-major points, each column log-scaled (optional) and standardised. */

export interface Scaling {
  /** Whether log1p was applied before standardising (values below 0 are clipped to 0 first). */
  log: boolean;
  mean: number;
  /** Population standard deviation (1 when the column is constant). */
  sd: number;
}

export interface ScaledPoints {
  points: Float64Array;
  dimensions: number;
  scalings: Scaling[];
}

/** A scaled value back in the raw unit (clipped negatives stay 0). */
export function invertScaling(value: number, scaling: Scaling): number {
  const unscaled = value * scaling.sd + scaling.mean;
  return scaling.log ? Math.expm1(unscaled) : unscaled;
}

/** Scales columns (equal lengths, finite values) into points; `log[c]` says whether column c is log1p'd. */
export function scaleColumns(columns: readonly ArrayLike<number>[], log: readonly boolean[]): ScaledPoints {
  const dimensions = columns.length;
  const n = columns[0]?.length ?? 0;
  const points = new Float64Array(n * dimensions);
  const scalings: Scaling[] = columns.map((column, c) => {
    if (column.length !== n) throw new Error(`feature columns differ in length: ${n} vs ${column.length}`);
    const values = Float64Array.from(column, (value, i) => {
      if (!Number.isFinite(value)) throw new Error(`invalid value in feature ${c} at ${i}; not a finite number: ${value}`);
      return log[c] ? Math.log1p(Math.max(0, value)) : value;
    });
    const mean = values.reduce((sum, value) => sum + value, 0) / n;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / n;
    const sd = variance > 0 ? Math.sqrt(variance) : 1;
    for (let i = 0; i < n; i++) points[i * dimensions + c] = (values[i] - mean) / sd;
    return {log: log[c], mean, sd};
  });
  return {points, dimensions, scalings};
}
