import type {Fitted, Model} from "../dialect.js";
import {numberBetween, positiveInteger, withDefaults} from "../options.js";
import {analyseBaskets, DEFAULT_BASKET_OPTIONS, type BasketInput, type BasketOptions, type BasketResult} from "./fit.js";

/**
 * Market basket in the model dialect (models/dialect.ts). The artefact is the mined itemsets, rules and
 * suggestions with the scopes they were mined in; scoring publishes them as they are (a basket rule
 * describes the fit window's invoices: there is nothing per line or per customer to score today).
 */
export type BasketArtefact = Omit<BasketResult, "metrics">;

export interface BasketScores {
  itemsets: BasketResult["itemsets"];
  rules: BasketResult["rules"];
  suggestions: BasketResult["suggestions"];
}

export const defaults: Readonly<Required<BasketOptions>> = DEFAULT_BASKET_OPTIONS;

export function options(partial?: Partial<BasketOptions>): Required<BasketOptions> {
  return withDefaults<BasketOptions>("basket", defaults, partial, {
    minSupport: (name, value) => numberBetween(name, value, 0, 1, true),
    minInvoices: positiveInteger,
    maxSize: positiveInteger,
    maxItemsets: positiveInteger,
    minConfidence: (name, value) => numberBetween(name, value, 0, 1),
    countryMinInvoices: positiveInteger,
    holdoutDays: positiveInteger,
    suggestions: positiveInteger
  });
}

/** Mines the fit window's invoices; the metrics include the hold-out check of the rules on its last days. */
export function fit(data: BasketInput, partial?: Partial<BasketOptions>): Fitted<BasketArtefact> {
  const {metrics, ...artefact} = analyseBaskets(data, options(partial));
  return {artefact, metrics};
}

export function score(artefact: BasketArtefact): BasketScores {
  return {itemsets: artefact.itemsets, rules: artefact.rules, suggestions: artefact.suggestions};
}

export const basketModel = {name: "basket", defaults, options, fit, score} satisfies Model<BasketInput, BasketOptions, BasketArtefact, void, BasketScores>;
