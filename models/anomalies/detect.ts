import {hasBaseline, robustScores, type Baselines, type Lines, type RobustOptions, type RobustScores} from "./robust.js";
import type {Severity} from "../../src/shared/values.js";

/**
 * The published detector: a line is anomalous when its unit price is far from the product's usual price
 * or its quantity far above what the product and the customer usually see, both in robust terms (the
 * MAD-based score) and in plain terms (a large ratio), so products with naturally wide prices and
 * wholesalers who always buy in bulk are not flagged.
 */
export interface DetectOptions extends RobustOptions {
  /** Price: flagged at this many times the product's median price or less than 1/this. Default: 10. */
  priceRatio?: number;
  /** Price: and |price score| at least this. Default: 3. */
  priceScore?: number;
  /** Quantity: flagged at this many times both the expected quantity (product × customer habit) and the product's median. Default: 20. */
  quantityRatio?: number;
  /** Quantity: and quantity score at least this. Default: 2. */
  quantityScore?: number;
  /** Severity by how many times off the line is: Critical from this factor (or price and quantity both off). Default: 50. */
  critical?: number;
  /** Severity: High from this factor, else Medium. Default: 20. */
  high?: number;
}

export const DEFAULT_DETECT_OPTIONS = {priceRatio: 10, priceScore: 3, quantityRatio: 20, quantityScore: 2, critical: 50, high: 20} as const;

export type {Severity};

export interface Finding {
  line: number;
  kind: "price" | "quantity" | "price and quantity";
  severity: Severity;
  /** How many times off (≥ 1): the larger of the price and quantity factors. */
  factor: number;
  priceScore: number;
  quantityScore: number;
  typicalPrice: number;
  expectedQuantity: number;
  typicalQuantity: number;
}

export interface Detection {
  findings: Finding[];
  /** 1 for each flagged line. */
  flags: Uint8Array;
  scores: RobustScores;
  /** Lines not checked: their product has no baseline (it is not in the fit). */
  unscored: number;
}

/** Checks every line against fitted baselines (options as validated by the model's `options`). */
export function detect(baselines: Baselines, lines: Lines, options: DetectOptions = {}): Detection {
  const settings = {...DEFAULT_DETECT_OPTIONS, ...options};
  const scores = robustScores(baselines, lines);
  const n = lines.product.length;
  const flags = new Uint8Array(n);
  const findings: Finding[] = [];
  const typicalPrices = baselines.logPrice.map(Math.exp);
  const typicalQuantities = baselines.logQuantity.map(Math.exp);
  let unscored = 0;
  for (let i = 0; i < n; i++) {
    const product = lines.product[i];
    if (!hasBaseline(baselines, product)) {
      unscored++;
      continue;
    }
    const typicalPrice = typicalPrices[product];
    const typicalQuantity = typicalQuantities[product];
    const priceRatio = lines.unitPrice[i] / typicalPrice;
    const priceFactor = Math.max(priceRatio, 1 / priceRatio);
    const quantityFactor = lines.quantity[i] / scores.expectedQuantity[i];
    const byPrice = priceFactor >= settings.priceRatio && Math.abs(scores.priceScore[i]) >= settings.priceScore;
    const byQuantity =
      quantityFactor >= settings.quantityRatio &&
      lines.quantity[i] / typicalQuantity >= settings.quantityRatio &&
      scores.quantityScore[i] >= settings.quantityScore;
    if (!byPrice && !byQuantity) continue;
    flags[i] = 1;
    const factor = Math.max(byPrice ? priceFactor : 1, byQuantity ? quantityFactor : 1);
    findings.push({
      line: i,
      kind: byPrice && byQuantity ? "price and quantity" : byPrice ? "price" : "quantity",
      severity: factor >= settings.critical || (byPrice && byQuantity) ? "Critical" : factor >= settings.high ? "High" : "Medium",
      factor,
      priceScore: scores.priceScore[i],
      quantityScore: scores.quantityScore[i],
      typicalPrice,
      expectedQuantity: scores.expectedQuantity[i],
      typicalQuantity
    });
  }
  return {findings, flags, scores, unscored};
}

/** Only the price half of the detector (the robust price method the issue cites as a reference). */
export function priceOnlyFlags(baselines: Baselines, lines: Lines, scores: RobustScores, options: DetectOptions = {}): Uint8Array {
  const {priceRatio, priceScore} = {...DEFAULT_DETECT_OPTIONS, ...options};
  const flags = new Uint8Array(lines.product.length);
  const typicalPrices = baselines.logPrice.map(Math.exp);
  for (let i = 0; i < flags.length; i++) {
    if (!hasBaseline(baselines, lines.product[i])) continue;
    const ratio = lines.unitPrice[i] / typicalPrices[lines.product[i]];
    flags[i] = Math.max(ratio, 1 / ratio) >= priceRatio && Math.abs(scores.priceScore[i]) >= priceScore ? 1 : 0;
  }
  return flags;
}

const money = (value: number) => `£${value.toLocaleString("en-GB", {minimumFractionDigits: 2, maximumFractionDigits: 2})}`;
const count = (value: number) => Math.round(value).toLocaleString("en-GB");
const times = (value: number) => (value >= 10 ? `${Math.round(value)}×` : `${value.toFixed(1)}×`);

/** A plain-language reason for a finding. */
export function reason(finding: Finding, quantity: number, unitPrice: number, hasCustomer: boolean): string {
  const parts: string[] = [];
  if (finding.kind !== "quantity") {
    const ratio = unitPrice / finding.typicalPrice;
    parts.push(
      ratio >= 1
        ? `unit price ${money(unitPrice)} is ${times(ratio)} this product's usual ${money(finding.typicalPrice)}`
        : `unit price ${money(unitPrice)} is 1/${Math.round(1 / ratio)} of this product's usual ${money(finding.typicalPrice)}`
    );
  }
  if (finding.kind !== "price") {
    const habit = hasCustomer && Math.abs(finding.expectedQuantity - finding.typicalQuantity) > 1e-9;
    parts.push(
      `quantity ${count(quantity)} is ${times(quantity / finding.expectedQuantity)} ${habit ? `what this customer usually orders of it (${count(finding.expectedQuantity)})` : `the usual order of this product (${count(finding.typicalQuantity)})`}`
    );
  }
  const text = parts.join("; ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
