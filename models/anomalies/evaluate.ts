import {notEvaluatedRow, type MetricRow} from "../metrics.js";
import {mulberry32} from "../random.js";
import {detect, priceOnlyFlags} from "./detect.js";
import type {AnomalyOptions} from "./options.js";
import {fitBaselines, type Lines} from "./robust.js";
import {zFlags, zScores} from "./zscore.js";

/**
 * The evaluation on injected anomalies: a copy of the fit's lines with known anomalies, every method
 * fitted on the copy and run on it from scratch; recall and precision of each, as `anomalies_metrics` rows.
 */

/** Which part of the data the lines are, when the stage splits products into buckets. */
export interface BucketOf {
  buckets: number;
  /** Lines of the fit in all buckets. */
  totalLines: number;
}

export function evaluate(lines: Lines, settings: Required<AnomalyOptions>, bucketOf?: BucketOf): MetricRow[] {
  const {injectShare, seed, zThreshold} = settings;
  const n = lines.product.length;
  const {copy, injected, kinds} = inject(lines, injectShare, seed);
  if (injected === 0) return [notEvaluatedRow("anomalies", "robust", `Not evaluated: ${n} lines are too few to inject ${injectShare * 100}% of them.`)];
  const baselines = fitBaselines(copy, settings);
  const detection = detect(baselines, copy, settings);
  const methods = [
    {
      method: "zscore",
      role: "baseline" as const,
      flags: zFlags(zScores(copy.quantity, copy.unitPrice), zThreshold),
      description: `the seed's method: |z| > ${zThreshold} on quantity, unit price or amount`
    },
    {
      method: "robust_price",
      role: "candidate" as const,
      flags: priceOnlyFlags(baselines, copy, detection.scores, settings),
      description: "the robust detector's price rule alone"
    },
    {method: "robust", role: "published" as const, flags: detection.flags, description: "robust price and quantity rules (product median/MAD, customer habit)"}
  ];
  const part =
    bucketOf && bucketOf.buckets > 1
      ? `; the lines of products in bucket 1 of ${bucketOf.buckets} (${n} of ${bucketOf.totalLines} lines: see ANOMALY_CHUNK_LINES)`
      : "";
  const split = `injected: ${injected} random lines of ${n} (seed ${seed}; half quantity × 100, half unit price × 50), evaluated on the altered copy${part}`;
  const metrics: MetricRow[] = [];
  const baseline = count(methods[0].flags, kinds);
  for (const {method, role, flags, description} of methods) {
    const result = count(flags, kinds);
    const verdict =
      role === "baseline"
        ? "Baseline."
        : `${result.recall > baseline.recall && result.precision > baseline.precision ? "Beats" : "Does not beat"} the z-score baseline on both (recall ${baseline.recall.toFixed(3)}, precision ${baseline.precision.toFixed(3)}).`;
    const common = {model: "anomalies", method, role, split};
    metrics.push({
      ...common,
      metric: "recall",
      value: result.recall,
      n: injected,
      details: `${description}. Found ${result.found} of ${injected} injected lines (quantity: ${result.quantity}, price: ${result.price}). ${verdict}`
    });
    metrics.push({
      ...common,
      metric: "precision",
      value: result.flagged ? result.precision : null,
      n: result.flagged,
      details: result.flagged
        ? `${result.found} of ${result.flagged} flagged lines were injected; the rest are anomalies of the real data or false alarms.`
        : "Nothing was flagged, so there is no precision to measure."
    });
  }
  return metrics;
}

/** The lines with `share` of them altered: kinds[i] = 1 quantity × 100, 2 price × 50, 0 untouched. */
export function inject(lines: Lines, share: number, seed: number): {copy: Lines; injected: number; kinds: Uint8Array} {
  const n = lines.product.length;
  const random = mulberry32(seed);
  const kinds = new Uint8Array(n);
  const quantity = lines.quantity.slice();
  const unitPrice = lines.unitPrice.slice();
  const target = Math.round(n * share);
  for (let made = 0; made < target;) {
    const i = Math.floor(random() * n);
    if (kinds[i]) continue;
    kinds[i] = made % 2 === 0 ? 1 : 2;
    if (kinds[i] === 1) quantity[i] *= 100;
    else unitPrice[i] *= 50;
    made++;
  }
  return {copy: {...lines, quantity, unitPrice}, injected: target, kinds};
}

function count(flags: Uint8Array, kinds: Uint8Array) {
  let found = 0;
  let flagged = 0;
  let quantity = 0;
  let price = 0;
  let injected = 0;
  for (let i = 0; i < flags.length; i++) {
    if (kinds[i]) injected++;
    if (!flags[i]) continue;
    flagged++;
    if (kinds[i]) {
      found++;
      if (kinds[i] === 1) quantity++;
      else price++;
    }
  }
  return {found, flagged, quantity, price, recall: found / injected, precision: flagged ? found / flagged : Number.NaN};
}
