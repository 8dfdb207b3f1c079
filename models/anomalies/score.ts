import type {MetricRow} from "../metrics.js";
import {detect, reason, type Severity} from "./detect.js";
import type {AnomalyArtefact} from "./fit.js";
import type {Lines} from "./robust.js";
import {zFlags, zScoresAgainst} from "./zscore.js";

/** A flagged line, as the `anomalies` snapshot publishes it (without the sales columns the stage joins). */
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

export interface AnomalyScores {
  rows: AnomalyRow[];
  /** Lines checked, and of them those not scored: their product is not in the fit (no baseline yet). */
  lines: number;
  unscored: number;
}

/** Checks today's lines (product and customer indices of the fit; −1 for one it did not see) against a fit. */
export function score(artefact: AnomalyArtefact, lines: Lines): AnomalyScores {
  const {findings, unscored} = detect(artefact.baselines, lines, artefact.settings);
  const z = zFlags(zScoresAgainst(artefact.zscore, lines.quantity, lines.unitPrice), artefact.settings.zThreshold);
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
  return {rows, lines: lines.product.length, unscored};
}

/** What the scoring covered, for `anomalies_metrics`: the lines left unchecked because their product is newer than the fit. */
export function scoringRow(checked: {lines: number; unscored: number; newProducts: number}, fittedThrough: string): MetricRow {
  const {lines, unscored, newProducts} = checked;
  return {
    model: "anomalies",
    method: "robust",
    role: "published",
    metric: "unscored_lines",
    split: "scored: every sales line",
    value: unscored,
    n: lines,
    details:
      unscored === 0
        ? `All ${lines} lines were checked against baselines fitted on data through ${fittedThrough}.`
        : `${unscored} of ${lines} lines are not checked: they are of ${newProducts} ${newProducts === 1 ? "product" : "products"} first sold after ${fittedThrough}, ` +
          "which have no baseline until the next refit includes them."
  };
}
