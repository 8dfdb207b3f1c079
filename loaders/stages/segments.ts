import type {PipelineOptions} from "../config.js";
import {columnsOf, numbers, readColumns, writeRows} from "../run/table-io.js";
import {fitNote, fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import {CUSTOMER_MODEL_SNAPSHOTS} from "../schema/customer-models.js";
import {defaults, type SegmentationArtefact, type SegmentationOptions, type SegmentationScores} from "../../models/segmentation/index.js";
import type {Fitted} from "../../models/dialect.js";
import {notFittedRow} from "../../models/metrics.js";
import {projectUrl} from "../paths.js";
import {customersThrough} from "./customers-through.js";

const MODEL = projectUrl("models/segmentation/index.ts");

/** Fewer customers than this (or than k + 1, or the largest k compared + 1) give empty segmentation outputs. */
export const MIN_CUSTOMERS = 20;

/** The segmentation's settings: the pipeline's seed and `segments` (k), the model's defaults otherwise. */
function settings(options: PipelineOptions): Required<SegmentationOptions> {
  return {...defaults, k: options.segments, seed: options.seed};
}

/**
 * Customer segmentation: k-means on standardised log RFM (models/segmentation), fitted in a worker thread on
 * the customers as they were at the end of the fit window, then today's customers (customer_metrics) scored
 * with the fitted scaler and centroids. Publishes every customer's segment, the segment profiles and the
 * fit's silhouette by k (with the seed's features for comparison); its evaluation goes to segmentation_metrics.
 */
export const segmentsStage: Stage = {
  name: "segments",
  description: "Cluster customers with k-means on scaled log RFM; name and profile the segments",
  inputs: ["customer_metrics", "sales", "returns"],
  outputs: ["customer_segments", "segment_profiles", "segment_silhouettes", "segmentation_metrics"],
  module: "loaders/stages/segments.ts",
  refit: "period",
  options: settings,
  run: segments
};

async function segments({connection, options, runModel, fitted}: StageContext) {
  const window = await fitWindowOf(connection, options.refit);
  const config = settings(options);
  const needed = Math.max(MIN_CUSTOMERS, config.k + 1, config.kRange[1] + 1);
  const through = window ? await customersThrough(connection, window.fittedThrough) : null;
  const n = through?.customer_id.length ?? 0;
  if (!window || !through || n < needed) {
    for (const name of segmentsStage.outputs) {
      if (name !== "segmentation_metrics") await writeRows(connection, name, columnsOf(CUSTOMER_MODEL_SNAPSHOTS[name as "customer_segments"].columns), []);
    }
    const when = window ? ` through ${window.fittedThrough}` : "";
    await writeMetrics(
      connection,
      "segmentation_metrics",
      [
        notFittedRow(
          "segmentation",
          `Only ${n} customers with a customer id${when}; segmenting into ${config.k} groups (and comparing up to ${config.kRange[1]}) needs at least ${needed}.`
        )
      ],
      {fittedThrough: null, scoredAsOf: window?.lastDay ?? null}
    );
    return {rowsIn: n, rowsOut: 0, detail: `not enough customers to segment (${n}${when}; needs ${needed}): empty outputs`};
  }
  const data = {recency: through.recency_days, frequency: through.frequency, monetary: through.monetary};
  const {artefact: fit, reused} = await fitted("segmentation", {data, options: config}, window.fittedThrough, () =>
    runModel<Fitted<SegmentationArtefact>>(MODEL, "fit", data, config)
  );
  const today = await readColumns(
    connection,
    "SELECT customer_id::DOUBLE AS customer_id, recency_days::DOUBLE AS recency_days, frequency::DOUBLE AS frequency, monetary FROM customer_metrics ORDER BY customer_id"
  );
  const scores = await runModel<SegmentationScores>(MODEL, "score", fit.artefact, {
    customer_id: numbers(today, "customer_id"),
    recency_days: numbers(today, "recency_days"),
    frequency: numbers(today, "frequency"),
    monetary: numbers(today, "monetary")
  });
  await writeRows(connection, "customer_segments", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.customer_segments.columns), scores.segments);
  await writeRows(connection, "segment_profiles", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.segment_profiles.columns), scores.profiles);
  await writeRows(connection, "segment_silhouettes", columnsOf(CUSTOMER_MODEL_SNAPSHOTS.segment_silhouettes.columns), scores.silhouettes);
  await writeMetrics(connection, "segmentation_metrics", fit.metrics, {fittedThrough: window.fittedThrough, scoredAsOf: window.lastDay});
  const metric = (name: string) => fit.metrics.find((row) => row.method === "kmeans_log_rfm" && row.metric === name)?.value ?? Number.NaN;
  return {
    rowsIn: scores.segments.length,
    rowsOut: scores.segments.length,
    detail:
      `k = ${fit.artefact.k}: silhouette ${metric("silhouette").toFixed(3)}, smallest segment ${(100 * metric("smallest_segment_share")).toFixed(1)}%, ` +
      `ARI across seeds ≥ ${metric("min_adjusted_rand_index").toFixed(3)} (${n} customers); ${scores.segments.length} scored; ${fitNote(window, reused)}`
  };
}
