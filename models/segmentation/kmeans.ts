import {mulberry32, type Random} from "../random.js";

/** Options of fitKMeans; every one has a default. */
export interface KMeansOptions {
  /** Number of clusters (≥ 1, ≤ number of points). Default: 4. */
  k?: number;
  /** Seed of the k-means++ initialisations. Default: 42. */
  seed?: number;
  /** Independent k-means++ starts; the one with the lowest inertia wins. Default: 10. */
  restarts?: number;
  /** Lloyd iterations per start; a start stops earlier when no point changes cluster. Default: 300. */
  maxIterations?: number;
}

export interface KMeansFit {
  k: number;
  /** Cluster of each point, 0…k−1, clusters numbered by size (largest first; ties by centroid). */
  labels: number[];
  /** Cluster centres (means of their points), row c for cluster c. */
  centroids: number[][];
  sizes: number[];
  /** Sum of squared distances of the points to their centroid. */
  inertia: number;
  /** Whether the winning start converged (no point changed cluster) before maxIterations. */
  converged: boolean;
  iterations: number;
}

export const KMEANS_DEFAULTS = {k: 4, seed: 42, restarts: 10, maxIterations: 300} as const;

/**
 * k-means: Lloyd's algorithm from greedy k-means++ starts (each new centre is the best of 2 + ⌊ln k⌋
 * candidates drawn with probability ∝ squared distance, as in scikit-learn), on typed arrays. Points are
 * row-major (`n` × `dimensions`). `restarts` starts with one seeded generator; the lowest inertia wins.
 * The result is a fixed point: every point is labelled with its nearest centroid and every centroid is the
 * mean of its points (unless maxIterations stopped it first; see `converged`).
 */
export function fitKMeans(points: Float64Array, dimensions: number, options: KMeansOptions = {}): KMeansFit {
  const {k, seed, restarts, maxIterations} = {...KMEANS_DEFAULTS, ...options};
  const n = points.length / dimensions;
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new Error(`invalid dimensions; not a positive integer: ${dimensions}`);
  if (!Number.isInteger(n)) throw new Error(`points hold ${points.length} numbers, not a multiple of ${dimensions} dimensions`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`invalid k; not a positive integer: ${k}`);
  if (k > n) throw new Error(`invalid k; more clusters than points (${n}): ${k}`);
  if (!Number.isInteger(restarts) || restarts < 1) throw new Error(`invalid restarts; not a positive integer: ${restarts}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new Error(`invalid maxIterations; not a positive integer: ${maxIterations}`);
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i])) throw new Error(`invalid coordinate ${i % dimensions} of point ${Math.floor(i / dimensions)}; not finite: ${points[i]}`);
  }
  const random = mulberry32(seed);
  let best: Lloyd | undefined;
  for (let start = 0; start < restarts; start++) {
    const run = lloyd(points, dimensions, k, kmeansPlusPlus(points, dimensions, k, random), maxIterations);
    if (!best || run.inertia < best.inertia) best = run;
  }
  return canonical(best!, k, dimensions);
}

/** Greedy k-means++ centres (row-major k × dimensions). */
export function kmeansPlusPlus(points: Float64Array, dimensions: number, k: number, random: Random): Float64Array {
  const n = points.length / dimensions;
  const centres = new Float64Array(k * dimensions);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(random() * n);
  centres.set(points.subarray(first * dimensions, (first + 1) * dimensions), 0);
  let closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = squaredDistance(points, i * dimensions, points, first * dimensions, dimensions);
  let candidateClosest = new Float64Array(n);
  let bestClosest = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    const potential = closest.reduce((sum, value) => sum + value, 0);
    let bestPotential = Number.POSITIVE_INFINITY;
    let bestIndex = -1;
    for (let trial = 0; trial < trials; trial++) {
      const candidate = potential > 0 ? sample(closest, potential * random()) : Math.floor(random() * n);
      let candidatePotential = 0;
      for (let i = 0; i < n; i++) {
        const distance = Math.min(closest[i], squaredDistance(points, i * dimensions, points, candidate * dimensions, dimensions));
        candidateClosest[i] = distance;
        candidatePotential += distance;
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestIndex = candidate;
        [bestClosest, candidateClosest] = [candidateClosest, bestClosest];
      }
    }
    centres.set(points.subarray(bestIndex * dimensions, (bestIndex + 1) * dimensions), c * dimensions);
    [closest, bestClosest] = [bestClosest, closest];
  }
  return centres;
}

/** The index whose cumulative weight first exceeds `target`. */
function sample(weights: Float64Array, target: number): number {
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i];
    if (cumulative > target) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return weights.length - 1;
}

interface Lloyd {
  labels: Int32Array;
  centres: Float64Array;
  sizes: Float64Array;
  inertia: number;
  converged: boolean;
  iterations: number;
}

/**
 * Lloyd's iterations with Hamerly's bounds: each point keeps an upper bound on the distance to its centre
 * and a lower bound on the distance to any other; when the centres move, the bounds are loosened by how far
 * they moved, and a point is only re-examined when its bounds no longer prove its assignment. The labels
 * are exactly Lloyd's; most distance computations are skipped once the centres settle.
 */
function lloyd(points: Float64Array, dimensions: number, k: number, centres: Float64Array, maxIterations: number): Lloyd {
  const n = points.length / dimensions;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * dimensions);
  const sizes = new Float64Array(k);
  const previous = new Float64Array(k * dimensions);
  const moved = new Float64Array(k);
  const half = new Float64Array(k);

  // Full scan of point i: nearest centre (ties: the lower index), and the distances to the nearest two.
  const scan = (i: number) => {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const distance = squaredDistance(points, i * dimensions, centres, c * dimensions, dimensions);
      if (distance < bestDistance) {
        second = bestDistance;
        bestDistance = distance;
        best = c;
      } else if (distance < second) {
        second = distance;
      }
    }
    upper[i] = Math.sqrt(bestDistance);
    lower[i] = Math.sqrt(second);
    return best;
  };
  for (let i = 0; i < n; i++) labels[i] = scan(i);

  let converged = false;
  let iterations = 1;
  while (iterations < maxIterations) {
    // Move every centre to the mean of its points (an emptied cluster keeps its centre).
    previous.set(centres);
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const label = labels[i];
      sizes[label]++;
      for (let d = 0; d < dimensions; d++) sums[label * dimensions + d] += points[i * dimensions + d];
    }
    let largest = 0;
    for (let c = 0; c < k; c++) {
      if (sizes[c] > 0) for (let d = 0; d < dimensions; d++) centres[c * dimensions + d] = sums[c * dimensions + d] / sizes[c];
      moved[c] = Math.sqrt(squaredDistance(centres, c * dimensions, previous, c * dimensions, dimensions));
      largest = Math.max(largest, moved[c]);
    }
    for (let c = 0; c < k; c++) {
      let nearest = Number.POSITIVE_INFINITY;
      for (let other = 0; other < k; other++) {
        if (other !== c) nearest = Math.min(nearest, squaredDistance(centres, c * dimensions, centres, other * dimensions, dimensions));
      }
      half[c] = Math.sqrt(nearest) / 2;
    }
    iterations++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const label = labels[i];
      upper[i] += moved[label];
      lower[i] -= largest;
      const bound = Math.max(lower[i], half[label]);
      if (upper[i] <= bound) continue;
      upper[i] = Math.sqrt(squaredDistance(points, i * dimensions, centres, label * dimensions, dimensions));
      if (upper[i] <= bound) continue;
      const best = scan(i);
      if (best !== label) {
        labels[i] = best;
        changed++;
      }
    }
    if (changed === 0) {
      converged = true;
      break;
    }
  }
  // Final centres are the means of the final labels (unchanged when converged).
  sums.fill(0);
  sizes.fill(0);
  for (let i = 0; i < n; i++) {
    sizes[labels[i]]++;
    for (let d = 0; d < dimensions; d++) sums[labels[i] * dimensions + d] += points[i * dimensions + d];
  }
  for (let c = 0; c < k; c++) {
    if (sizes[c] > 0) for (let d = 0; d < dimensions; d++) centres[c * dimensions + d] = sums[c * dimensions + d] / sizes[c];
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += squaredDistance(points, i * dimensions, centres, labels[i] * dimensions, dimensions);
  return {labels, centres, sizes, inertia, converged, iterations};
}

/** Clusters renumbered by size (largest first; ties by centroid coordinates). */
function canonical(run: Lloyd, k: number, dimensions: number): KMeansFit {
  const centroids = Array.from({length: k}, (_, c) => Array.from(run.centres.subarray(c * dimensions, (c + 1) * dimensions)));
  const order = Array.from({length: k}, (_, c) => c).sort((a, b) => run.sizes[b] - run.sizes[a] || compareVectors(centroids[a], centroids[b]));
  const renumber = new Int32Array(k);
  order.forEach((c, rank) => (renumber[c] = rank));
  return {
    k,
    labels: Array.from(run.labels, (label) => renumber[label]),
    centroids: order.map((c) => centroids[c]),
    sizes: order.map((c) => run.sizes[c]),
    inertia: run.inertia,
    converged: run.converged,
    iterations: run.iterations
  };
}

/** Index of the centre nearest to the point at `offset` (ties: the lower index). */
function nearestCentre(points: Float64Array, offset: number, centres: Float64Array, k: number, dimensions: number): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0, base = 0; c < k; c++, base += dimensions) {
    let distance = 0;
    for (let d = 0; d < dimensions && distance < bestDistance; d++) {
      const difference = points[offset + d] - centres[base + d];
      distance += difference * difference;
    }
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  }
  return best;
}

/** Labels new points (row-major) with their nearest centroid. */
export function assignClusters(points: Float64Array, dimensions: number, centroids: readonly (readonly number[])[]): number[] {
  const centres = Float64Array.from(centroids.flat());
  return Array.from({length: points.length / dimensions}, (_, i) => nearestCentre(points, i * dimensions, centres, centroids.length, dimensions));
}

function squaredDistance(a: Float64Array, offsetA: number, b: Float64Array, offsetB: number, dimensions: number): number {
  let sum = 0;
  for (let d = 0; d < dimensions; d++) {
    const difference = a[offsetA + d] - b[offsetB + d];
    sum += difference * difference;
  }
  return sum;
}

function compareVectors(a: readonly number[], b: readonly number[]): number {
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return a[d] - b[d];
  return 0;
}
