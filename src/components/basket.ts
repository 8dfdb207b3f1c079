/**
 * The Market basket page's reading of `basket_rules`, `basket_itemsets` and `basket_suggestions`: scopes,
 * the rule filter (scope, minimum confidence and lift) and its order. Pure functions over snapshot rows.
 */
import type {ItemsetRow, RuleRow} from "../../models/basket/fit.js";
import {ALL_COUNTRIES} from "../shared/values.js";

/** The snapshots' row types, declared with the model (type-only: nothing of models/ is shipped to the browser). */
export type {ItemsetRow, RuleRow};

export {ALL_COUNTRIES};

export interface RuleFilter {
  scope: string;
  /** Keep rules with confidence ≥ this (0–1). */
  minConfidence: number;
  /** Keep rules with lift ≥ this. */
  minLift: number;
}

/** The scopes present, "All countries" first, then by name. */
export function basketScopes(rows: readonly {scope: string}[]): string[] {
  return [...new Set(rows.map((row) => row.scope))].sort((a, b) => Number(b === ALL_COUNTRIES) - Number(a === ALL_COUNTRIES) || a.localeCompare(b));
}

/**
 * The rules of a scope with at least the given confidence and lift, strongest first: lift, then
 * confidence, then invoices (descending), then antecedent and consequent codes — the snapshot's own order.
 */
export function filterRules(rules: readonly RuleRow[], {scope, minConfidence, minLift}: RuleFilter): RuleRow[] {
  return rules.filter((rule) => rule.scope === scope && rule.confidence >= minConfidence && rule.lift >= minLift).sort(compareRules);
}

export function compareRules(a: RuleRow, b: RuleRow): number {
  return (
    b.lift - a.lift ||
    b.confidence - a.confidence ||
    b.invoices - a.invoices ||
    compareText(a.antecedent_codes, b.antecedent_codes) ||
    compareText(a.consequent_codes, b.consequent_codes)
  );
}

/** Code-point order, as DuckDB sorts VARCHAR (not locale order). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Invoices in a scope, recovered from its itemsets (support = invoices / the scope's invoices); null when
 * the scope has no itemset.
 */
export function scopeInvoices(itemsets: readonly ItemsetRow[], scope: string): number | null {
  const row = itemsets.find((itemset) => itemset.scope === scope && itemset.support > 0);
  return row ? Math.round(row.invoices / row.support) : null;
}

/** Reads a threshold from the URL: a number within [min, max] rounded to `step`, else the default. */
export function parseThreshold(text: string | null, {min, max, step, fallback}: {min: number; max: number; step: number; fallback: number}): number {
  const value = Number(text);
  if (text === null || text.trim() === "" || !Number.isFinite(value)) return fallback;
  const clamped = Math.min(max, Math.max(min, value));
  return Number((Math.round(clamped / step) * step).toFixed(6));
}
