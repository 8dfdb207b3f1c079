import type {Fitted, Model} from "../dialect.js";
import {integerAtLeast, numberBetween, positiveInteger, seed, withDefaults} from "../options.js";
import {median} from "../stats.js";
import {SEGMENTATION_DEFAULTS, segmentCustomers, type KSummary, type SegmentProfile, type SegmentationOptions} from "./fit.js";
import {assignClusters} from "./kmeans.js";
import {metricRows} from "./metrics.js";
import type {Scaling} from "./scale.js";

/** The fit's data: every identified customer as of the fit window's end, one entry each. */
export interface SegmentationFitData {
  recency: ArrayLike<number>;
  frequency: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

/** Today's customers to segment (customer_metrics), one entry each. */
export interface SegmentationScoreData {
  customer_id: ArrayLike<number>;
  recency_days: ArrayLike<number>;
  frequency: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

/**
 * What scoring needs from a fit: the scaler (log1p, mean and sd of recency, frequency and monetary on the fit
 * window's customers), the centroids with their names, numbered by size in the fit, and the fit's
 * silhouettes (by segment and by k), which describe the fit and are published as they are.
 */
export interface SegmentationArtefact {
  k: number;
  /** Customers the fit saw. */
  customers: number;
  scalings: Scaling[];
  segments: SegmentProfile[];
  byK: KSummary[];
}

/** The rows of customer_segments, segment_profiles and segment_silhouettes (loaders/schema/customer-models.ts). */
export interface SegmentationScores {
  segments: Record<string, number | string>[];
  profiles: Record<string, number | string | null>[];
  silhouettes: Record<string, number | string | boolean>[];
}

export type {SegmentationOptions};

export const defaults: Readonly<Required<SegmentationOptions>> = SEGMENTATION_DEFAULTS;

export function options(partial?: Partial<SegmentationOptions>): Required<SegmentationOptions> {
  const merged = withDefaults<SegmentationOptions>("segmentation", defaults, partial, {
    k: (name, value) => integerAtLeast(name, value, 2),
    kRange: kRange,
    seed,
    restarts: positiveInteger,
    stabilitySeeds: positiveInteger,
    holdoutShare: (name, value) => numberBetween(name, value, 0, 1, true),
    silhouetteSample: (name, value) => integerAtLeast(name, value, 2)
  });
  return merged;
}

function kRange(name: string, value: unknown): [number, number] {
  const valid = Array.isArray(value) && value.length === 2 && value.every(Number.isInteger) && value[0] >= 2 && value[1] >= value[0];
  if (!valid) throw new Error(`invalid ${name}; expected integers [low, high] with 2 ≤ low ≤ high: ${JSON.stringify(value)}`);
  return value as [number, number];
}

/** Fits k-means on the fit window's customers and evaluates it (silhouettes by k, stability, hold-out). */
export function fit(data: SegmentationFitData, partial?: Partial<SegmentationOptions>): Fitted<SegmentationArtefact> {
  const config = options(partial);
  const result = segmentCustomers(data, config);
  const n = data.recency.length;
  return {
    artefact: {k: result.k, customers: n, scalings: result.scalings, segments: result.profiles, byK: result.byK},
    metrics: metricRows(result, n, config)
  };
}

/** Standardises a customer's raw recency, frequency and monetary with the fitted scaler. */
function standardise(scalings: readonly Scaling[], values: readonly number[]): number[] {
  return values.map((value, d) => {
    const {log, mean, sd} = scalings[d];
    return ((log ? Math.log1p(Math.max(0, value)) : value) - mean) / sd;
  });
}

/**
 * Today's customers, standardised with the fitted scaler, each in the segment of the nearest fitted
 * centroid; the profiles describe today's members (sizes, revenue, medians) with the fitted centroids.
 */
export function score(artefact: SegmentationArtefact, data: SegmentationScoreData): SegmentationScores {
  const n = data.customer_id.length;
  const points = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) points.set(standardise(artefact.scalings, [data.recency_days[i], data.frequency[i], data.monetary[i]]), 3 * i);
  const centroids = artefact.segments.map((segment) => segment.centroid);
  const labels = assignClusters(points, 3, centroids);
  const segments = labels.map((label, i) => ({
    customer_id: data.customer_id[i],
    segment_id: label,
    segment: artefact.segments[label].name,
    recency_days: data.recency_days[i],
    frequency: data.frequency[i],
    monetary: data.monetary[i],
    recency_z: points[3 * i],
    frequency_z: points[3 * i + 1],
    monetary_z: points[3 * i + 2],
    distance_to_centroid: Math.hypot(...[0, 1, 2].map((d) => points[3 * i + d] - centroids[label][d]))
  }));

  let totalRevenue = 0;
  for (let i = 0; i < n; i++) totalRevenue += data.monetary[i];
  const members: number[][] = artefact.segments.map(() => []);
  labels.forEach((label, i) => members[label].push(i));
  const profiles = artefact.segments.map((segment) => {
    const rows = members[segment.id];
    const revenue = rows.reduce((sum, i) => sum + data.monetary[i], 0);
    return {
      segment_id: segment.id,
      segment: segment.name,
      naming: segment.naming,
      customers: rows.length,
      customer_share: n ? rows.length / n : null,
      revenue,
      revenue_share: totalRevenue ? revenue / totalRevenue : null,
      median_recency_days: median(rows.map((i) => data.recency_days[i])),
      median_frequency: median(rows.map((i) => data.frequency[i])),
      median_monetary: median(rows.map((i) => data.monetary[i])),
      centroid_recency_z: segment.centroid[0],
      centroid_frequency_z: segment.centroid[1],
      centroid_monetary_z: segment.centroid[2],
      centroid_recency_days: segment.centroidRaw[0],
      centroid_frequency: segment.centroidRaw[1],
      centroid_monetary: segment.centroidRaw[2],
      silhouette: segment.silhouette
    };
  });

  const silhouettes = artefact.byK.map((row) => ({
    features: row.features,
    k: row.k,
    silhouette: row.silhouette,
    inertia: row.inertia,
    largest_share: row.largestShare,
    smallest_share: row.smallestShare,
    chosen: row.chosen
  }));
  return {segments, profiles, silhouettes};
}

export const segmentationModel = {name: "segmentation", defaults, options, fit, score} satisfies Model<
  SegmentationFitData,
  SegmentationOptions,
  SegmentationArtefact,
  SegmentationScoreData,
  SegmentationScores
>;
