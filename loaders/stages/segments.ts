import type {PipelineOptions} from "../config.js";
import {formatMs} from "../run/format.js";
import {readColumns, writeRows, columnsOf} from "../run/table-io.js";
import {fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import {CUSTOMER_MODEL_SNAPSHOTS} from "../schema/customer-models.js";
import {SEGMENTATION_DEFAULTS, type SegmentationOptions, type SegmentationResult} from "../../models/segmentation/fit.js";
import {notFittedRow, type MetricRow} from "../../models/metrics.js";
import {median} from "../../models/stats.js";
import {projectUrl} from "../paths.js";

const MODEL = projectUrl("models/segmentation/fit.ts");

/** Fewer customers than this (or than k + 1, or the largest k compared + 1) give empty segmentation outputs. */
export const MIN_CUSTOMERS = 20;

/** The segmentation's settings: the pipeline's seed and `segments` (k), the model's defaults otherwise. */
function settings(options: PipelineOptions): SegmentationOptions {
  return {...SEGMENTATION_DEFAULTS, k: options.segments, seed: options.seed};
}

/**
 * Customer segmentation: k-means on standardised log RFM (models/segmentation), fitted in a worker thread.
 * Publishes every customer's segment, the segment profiles and the silhouette by k (with the seed's
 * features for comparison); its evaluation goes to segmentation_metrics.
 */
export const segmentsStage: Stage = {
  name: "segments",
  description: "Cluster customers with k-means on scaled log RFM; name and profile the segments",
  inputs: ["customer_metrics", "sales"],
  outputs: ["customer_segments", "segment_profiles", "segment_silhouettes", "segmentation_metrics"],
  module: "loaders/stages/segments.ts",
  options: settings,
  run: segments
};

async function segments({connection, options, runModel}: StageContext) {
  // Refitted on all the data every run (not yet split into fit and score).
  const window = await fitWindowOf(connection, options.refit);
  const data = (await readColumns(connection, "SELECT customer_id, recency_days, frequency, monetary FROM customer_metrics ORDER BY customer_id")) as {
    customer_id: Float64Array;
    recency_days: Float64Array;
    frequency: Float64Array;
    monetary: Float64Array;
  };
  const n = data.customer_id.length;
  const config = settings(options);
  const needed = Math.max(MIN_CUSTOMERS, config.k! + 1, config.kRange![1] + 1);
  if (n < needed) {
    for (const name of segmentsStage.outputs) {
      const columns = name === "segmentation_metrics" ? null : CUSTOMER_MODEL_SNAPSHOTS[name as "customer_segments"].columns;
      if (columns) await writeRows(connection, name, columnsOf(columns), []);
      else
        await writeMetrics(
          connection,
          name,
          [
            notFittedRow(
              "segmentation",
              `Only ${n} customers with a customer id; segmenting into ${config.k} groups (and comparing up to ${config.kRange![1]}) needs at least ${needed}.`
            )
          ],
          {fittedThrough: null, scoredAsOf: window?.lastDay ?? null}
        );
    }
    return {rowsIn: n, rowsOut: 0, detail: `not enough customers to segment (${n}; needs ${needed}): empty outputs`};
  }
  const started = performance.now();
  const result = await runModel<SegmentationResult>(
    MODEL,
    "segmentCustomers",
    {recency: data.recency_days, frequency: data.frequency, monetary: data.monetary},
    config
  );
  const fitMs = performance.now() - started;

  await writeRows(
    connection,
    "customer_segments",
    columnsOf(CUSTOMER_MODEL_SNAPSHOTS.customer_segments.columns),
    result.labels.map((label, i) => ({
      customer_id: data.customer_id[i],
      segment_id: label,
      segment: result.profiles[label].name,
      recency_days: data.recency_days[i],
      frequency: data.frequency[i],
      monetary: data.monetary[i],
      recency_z: result.coordinates[i * 3],
      frequency_z: result.coordinates[i * 3 + 1],
      monetary_z: result.coordinates[i * 3 + 2],
      distance_to_centroid: result.distances[i]
    }))
  );

  const totalRevenue = data.monetary.reduce((sum, value) => sum + value, 0);
  await writeRows(
    connection,
    "segment_profiles",
    columnsOf(CUSTOMER_MODEL_SNAPSHOTS.segment_profiles.columns),
    result.profiles.map((profile) => {
      const members = result.labels.flatMap((label, i) => (label === profile.id ? [i] : []));
      const revenue = members.reduce((sum, i) => sum + data.monetary[i], 0);
      return {
        segment_id: profile.id,
        segment: profile.name,
        naming: profile.naming,
        customers: profile.size,
        customer_share: profile.size / n,
        revenue,
        revenue_share: revenue / totalRevenue,
        median_recency_days: median(members.map((i) => data.recency_days[i])),
        median_frequency: median(members.map((i) => data.frequency[i])),
        median_monetary: median(members.map((i) => data.monetary[i])),
        centroid_recency_z: profile.centroid[0],
        centroid_frequency_z: profile.centroid[1],
        centroid_monetary_z: profile.centroid[2],
        centroid_recency_days: profile.centroidRaw[0],
        centroid_frequency: profile.centroidRaw[1],
        centroid_monetary: profile.centroidRaw[2],
        silhouette: profile.silhouette
      };
    })
  );

  await writeRows(
    connection,
    "segment_silhouettes",
    columnsOf(CUSTOMER_MODEL_SNAPSHOTS.segment_silhouettes.columns),
    result.byK.map((row) => ({
      features: row.features,
      k: row.k,
      silhouette: row.silhouette,
      inertia: row.inertia,
      largest_share: row.largestShare,
      smallest_share: row.smallestShare,
      chosen: row.chosen
    }))
  );

  await writeMetrics(connection, "segmentation_metrics", metricRows(result, n, config), {
    fittedThrough: window?.lastDay ?? null,
    scoredAsOf: window?.lastDay ?? null
  });
  const smallest = Math.min(...result.profiles.map((profile) => profile.size)) / n;
  return {
    rowsIn: n,
    rowsOut: n,
    detail: `k = ${result.k}: silhouette ${result.silhouette.toFixed(3)}, smallest segment ${(100 * smallest).toFixed(1)}%, ARI across seeds ≥ ${Math.min(...result.stability.ari).toFixed(3)}; worker ${formatMs(fitMs)}`
  };
}

function metricRows(result: SegmentationResult, n: number, config: SegmentationOptions): MetricRow[] {
  const all = `all ${n} customers (clustering has no labels: the silhouette is measured on the customers clustered)`;
  const published = result.byK.find((row) => row.chosen)!;
  const seed = result.byK.find((row) => row.features === "seed_spend_invoices_unscaled")!;
  const base = {model: "segmentation", n};
  const method = "kmeans_log_rfm";
  const params = `k = ${result.k}, k-means++ with ${config.restarts} starts, seed ${config.seed}, standardised log1p recency, frequency, monetary`;
  const seeds = [config.seed!, ...result.stability.seeds];
  const sampled =
    result.silhouetteCustomers < n
      ? `; silhouette estimated on a seeded sample of ${result.silhouetteCustomers} of the ${n} customers (all pairs cost n²)`
      : "";
  return [
    {
      ...base,
      method,
      role: "published",
      metric: "silhouette",
      split: all,
      value: result.silhouette,
      details: `${params}; the seed's features score ${seed.silhouette.toFixed(3)} but put ${(100 * seed.largestShare).toFixed(1)}% of customers in one segment${sampled}`
    },
    {
      ...base,
      method,
      role: "published",
      metric: "smallest_segment_share",
      split: all,
      value: published.smallestShare,
      details: "share of customers in the smallest segment (bar: at least 0.05)"
    },
    {
      ...base,
      method,
      role: "published",
      metric: "largest_segment_share",
      split: all,
      value: published.largestShare,
      details: "share of customers in the largest segment"
    },
    {
      ...base,
      method,
      role: "published",
      metric: "min_adjusted_rand_index",
      split: `${all}; fits with seeds ${seeds.join(", ")}`,
      value: Math.min(...result.stability.ari),
      details: `stability: lowest ARI between the published fit and fits with ${result.stability.seeds.length} other seeds (bar: at least 0.9)`
    },
    {
      ...base,
      method,
      role: "published",
      metric: "holdout_adjusted_rand_index",
      split: `holdout: ${result.holdout.customers} customers (30%) left out of a refit and assigned to its centroids`,
      value: result.holdout.ari,
      n: result.holdout.customers,
      details: "agreement of the held-out customers' assigned segments with the published ones"
    },
    {
      ...base,
      method,
      role: "published",
      metric: "holdout_silhouette",
      split: `holdout: ${result.holdout.customers} customers (30%) left out of a refit and assigned to its centroids`,
      value: result.holdout.silhouette,
      n: result.holdout.customers,
      details: "silhouette of the held-out customers under the refit's assignment"
    },
    {
      ...base,
      method: "kmeans_seed_features",
      role: "baseline",
      metric: "silhouette",
      split: all,
      value: seed.silhouette,
      details: `the seed's features (total spend and invoices, unscaled), k = ${result.k}: a high silhouette from one giant segment${sampled}`
    },
    {
      ...base,
      method: "kmeans_seed_features",
      role: "baseline",
      metric: "largest_segment_share",
      split: all,
      value: seed.largestShare,
      details: "share of customers in the largest segment"
    },
    {
      ...base,
      method: "kmeans_seed_features",
      role: "baseline",
      metric: "smallest_segment_share",
      split: all,
      value: seed.smallestShare,
      details: "share of customers in the smallest segment"
    }
  ];
}
