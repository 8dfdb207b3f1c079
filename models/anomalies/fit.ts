import {notEvaluatedRow, notFittedRow, type MetricRow} from "../metrics.js";
import {mulberry32} from "../random.js";
import {detect, priceOnlyFlags, reason, type DetectOptions, type Severity} from "./detect.js";
import type {Lines} from "./robust.js";
import {zFlags, zScores} from "./zscore.js";

/**
 * Anomaly detection on sales lines: the published robust detector's findings on the real data, and an
 * evaluation of it and the seed's z-score method on a copy with injected anomalies. Runs in a worker.
 */

export interface AnomalyOptions extends DetectOptions {
  /** Share of lines altered in the evaluation copy (half quantity × 100, half price × 50). Default: 0.01. */
  injectShare?: number;
  /** Seed of the injection. Default: 42. */
  seed?: number;
  /** |z| above which the seed's method flags a line. Default: 3. */
  zThreshold?: number;
  /** Run the evaluation on injected anomalies (it doubles the cost; see the stage's chunks). Default: true. */
  evaluate?: boolean;
}

export const DEFAULT_ANOMALY_OPTIONS = {injectShare: 0.01, seed: 42, zThreshold: 3, evaluate: true} as const;

export interface AnomalyRow {
  /** Index of the line in the input arrays. */
  line: number;
  kind: string;
  severity: Severity;
  factor: number;
  price_score: number;
  quantity_score: number;
  typical_unit_price: number;
  expected_quantity: number;
  zscore_flag: boolean;
  reason: string;
}

export interface AnomalyResult {
  rows: AnomalyRow[];
  metrics: MetricRow[];
  injected: number;
}

export function findAnomalies(lines: Lines, options: AnomalyOptions = {}): AnomalyResult {
  const {injectShare, seed, zThreshold, evaluate} = {...DEFAULT_ANOMALY_OPTIONS, ...options};
  if (!(injectShare > 0 && injectShare < 1)) throw new Error(`invalid injectShare; expected a number between 0 and 1: ${injectShare}`);
  const n = lines.product.length;
  if (n === 0) return {rows: [], metrics: evaluate ? [notFittedRow("anomalies", "No sales lines to check.")] : [], injected: 0};
  const {findings} = detect(lines, options);
  const z = zFlags(zScores(lines.quantity, lines.unitPrice), zThreshold);
  const rows = findings.map((finding): AnomalyRow => ({
    line: finding.line,
    kind: finding.kind,
    severity: finding.severity,
    factor: finding.factor,
    price_score: finding.priceScore,
    quantity_score: finding.quantityScore,
    typical_unit_price: finding.typicalPrice,
    expected_quantity: finding.expectedQuantity,
    zscore_flag: z[finding.line] === 1,
    reason: reason(finding, lines.quantity[finding.line], lines.unitPrice[finding.line], lines.customer[finding.line] >= 0)
  }));

  if (!evaluate) return {rows, metrics: [], injected: 0};

  // Evaluation: a copy with known anomalies, every method run on it from scratch.
  const {copy, injected, kinds} = inject(lines, injectShare, seed);
  if (injected === 0) {
    const details = `Not evaluated: ${n} lines are too few to inject ${injectShare * 100}% of them.`;
    return {rows, metrics: [notEvaluatedRow("anomalies", "robust", details)], injected};
  }
  const detection = detect(copy, options);
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
      flags: priceOnlyFlags(copy, detection.scores, options),
      description: "the robust detector's price rule alone"
    },
    {method: "robust", role: "published" as const, flags: detection.flags, description: "robust price and quantity rules (product median/MAD, customer habit)"}
  ];
  const split = `injected: ${injected} random lines of ${n} (seed ${seed}; half quantity × 100, half unit price × 50), evaluated on the altered copy`;
  const metrics: MetricRow[] = [];
  const baseline = score(methods[0].flags, kinds);
  for (const {method, role, flags, description} of methods) {
    const result = score(flags, kinds);
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
  return {rows, metrics, injected};
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

function score(flags: Uint8Array, kinds: Uint8Array) {
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
