import type {MetricRow} from "../metrics.js";
import type {SegmentationOptions, SegmentationResult} from "./fit.js";

/** The segmentation's evaluation as `segmentation_metrics` rows, from a fit on `n` customers. */
export function metricRows(result: SegmentationResult, n: number, config: Required<SegmentationOptions>): MetricRow[] {
  const all = `all ${n} customers (clustering has no labels: the silhouette is measured on the customers clustered)`;
  const published = result.byK.find((row) => row.chosen)!;
  const seed = result.byK.find((row) => row.features === "seed_spend_invoices_unscaled")!;
  const base = {model: "segmentation", n};
  const method = "kmeans_log_rfm";
  const params = `k = ${result.k}, k-means++ with ${config.restarts} starts, seed ${config.seed}, standardised log1p recency, frequency, monetary`;
  const seeds = [config.seed, ...result.stability.seeds];
  const sampled =
    result.silhouetteCustomers < n
      ? `; silhouette estimated on a seeded sample of ${result.silhouetteCustomers} of the ${n} customers (all pairs cost n²)`
      : "";
  const holdout = `holdout: ${result.holdout.customers} customers (${Math.round(100 * config.holdoutShare)}%) left out of a refit and assigned to its centroids`;
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
      split: holdout,
      value: result.holdout.ari,
      n: result.holdout.customers,
      details: "agreement of the held-out customers' assigned segments with the published ones"
    },
    {
      ...base,
      method,
      role: "published",
      metric: "holdout_silhouette",
      split: holdout,
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
