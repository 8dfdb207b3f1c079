/**
 * Silhouettes, computed exactly (all pairs, Euclidean distance) on points stored row-major in a
 * Float64Array (`n` × `dimensions`). For point i: a = mean distance to the other members of its cluster,
 * b = the lowest mean distance to another cluster's members, s = (b − a) / max(a, b); a point alone in its
 * cluster scores 0 (as in scikit-learn). Each labeling needs 2 to n − 1 non-empty clusters.
 */

export interface Labeling {
  labels: ArrayLike<number>;
  /** Labels are integers 0…k−1. */
  k: number;
}

/** The mean silhouette of one clustering. */
export function silhouette(points: Float64Array, dimensions: number, labels: ArrayLike<number>, k: number): number {
  return mean(silhouetteSamples(points, dimensions, labels, k));
}

/** The silhouette of every point of one clustering. */
export function silhouetteSamples(points: Float64Array, dimensions: number, labels: ArrayLike<number>, k: number): Float64Array {
  return silhouetteSamplesMany(points, dimensions, [{labels, k}])[0];
}

/**
 * The silhouettes of every point under several clusterings of the same points, in one pass over the pairs
 * (each distance is computed once and credited to every clustering).
 */
export function silhouetteSamplesMany(points: Float64Array, dimensions: number, labelings: readonly Labeling[]): Float64Array[] {
  const n = points.length / dimensions;
  if (!Number.isInteger(n)) throw new Error(`points hold ${points.length} numbers, not a multiple of ${dimensions} dimensions`);
  const sizes = labelings.map(({labels, k}, which) => {
    if (labels.length !== n) throw new Error(`labeling ${which} has ${labels.length} labels for ${n} points`);
    const size = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const label = labels[i];
      if (!Number.isInteger(label) || label < 0 || label >= k) throw new Error(`invalid label at ${i}; not an integer from 0 to ${k - 1}: ${label}`);
      size[label]++;
    }
    const used = size.filter((count) => count > 0).length;
    if (used < 2 || used > n - 1) throw new Error(`the silhouette needs 2 to n − 1 non-empty clusters; got ${used} for ${n} points`);
    return size;
  });
  // For labeling m with k clusters, sums[m][i * k + c] is the total distance from point i to cluster c.
  const sums = labelings.map(({k}) => new Float64Array(n * k));
  const label = labelings.map(({labels}) => Int32Array.from(labels));
  const ks = labelings.map(({k}) => k);
  const count = labelings.length;
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const oi = i * dimensions;
    for (let j = i + 1; j < n; j++) {
      const oj = j * dimensions;
      let squared = 0;
      for (let d = 0; d < dimensions; d++) {
        const difference = points[oi + d] - points[oj + d];
        squared += difference * difference;
      }
      distance[j] = Math.sqrt(squared);
    }
    for (let m = 0; m < count; m++) {
      const k = ks[m];
      const sum = sums[m];
      const labels = label[m];
      const own = labels[i];
      const base = i * k;
      for (let j = i + 1; j < n; j++) {
        const value = distance[j];
        sum[base + labels[j]] += value;
        sum[j * k + own] += value;
      }
    }
  }
  return labelings.map(({k}, m) => {
    const result = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const own = label[m][i];
      if (sizes[m][own] <= 1) continue;
      const a = sums[m][i * k + own] / (sizes[m][own] - 1);
      let b = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) if (c !== own && sizes[m][c] > 0) b = Math.min(b, sums[m][i * k + c] / sizes[m][c]);
      const scale = Math.max(a, b);
      result[i] = scale > 0 ? (b - a) / scale : 0;
    }
    return result;
  });
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}
