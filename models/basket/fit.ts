import {ALL_COUNTRIES} from "../../src/shared/values.js";
import {notFittedRow, type MetricRow} from "../metrics.js";
import {fpGrowth, ItemsetLimitError, minimumCount, type Itemset, type Transactions} from "./fpgrowth.js";
import {associationRules, itemsetLift, type Rule} from "./rules.js";

/**
 * Market basket analysis: frequent itemsets (FP-growth) and association rules over invoices, for all
 * invoices and for each country with enough invoices; bundle and cross-sell suggestions; and a time
 * split check of whether rules mined on earlier invoices hold on the last `holdoutDays`. Runs in a worker.
 */

export interface BasketInput extends Transactions {
  /** Per invoice (transaction): country index and day number. */
  invoiceCountry: Int32Array;
  invoiceDay: Int32Array;
  countries: readonly string[];
  stockCodes: readonly string[];
  descriptions: readonly (string | null)[];
}

export interface BasketOptions {
  /** Smallest share of a scope's invoices an itemset must be in. Default: 0.02. */
  minSupport?: number;
  /** Smallest number of invoices an itemset must be in, whatever the share (small extracts). Default: 5. */
  minInvoices?: number;
  /** Largest itemset mined, in products. Default: 4. */
  maxSize?: number;
  /**
   * Most itemsets kept per scope: past it the minimum count is raised (× 1.5 at a time) until they fit, so
   * mining costs at most about this many itemsets whatever the baskets look like. Default: 2000.
   */
  maxItemsets?: number;
  /** Smallest confidence of a rule. Default: 0.5. */
  minConfidence?: number;
  /** A country gets its own scope from this many invoices on. Default: 300. */
  countryMinInvoices?: number;
  /** Holdout for the time-split check: the last this many days. Default: 30. */
  holdoutDays?: number;
  /** Bundle and cross-sell suggestions kept per scope and kind. Default: 20. */
  suggestions?: number;
}

export const DEFAULT_BASKET_OPTIONS = {
  minSupport: 0.02,
  minInvoices: 5,
  maxSize: 4,
  maxItemsets: 2000,
  minConfidence: 0.5,
  countryMinInvoices: 300,
  holdoutDays: 30,
  suggestions: 20
} as const;

export {ALL_COUNTRIES};

export interface ItemsetRow {
  scope: string;
  size: number;
  stock_codes: string;
  products: string;
  invoices: number;
  support: number;
  lift: number | null;
}

export interface RuleRow {
  scope: string;
  antecedent_codes: string;
  antecedent: string;
  consequent_codes: string;
  consequent: string;
  size: number;
  invoices: number;
  antecedent_invoices: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface SuggestionRow {
  scope: string;
  kind: "bundle" | "cross_sell";
  rank: number;
  stock_codes: string;
  products: string;
  invoices: number;
  support: number;
  confidence: number;
  lift: number;
  suggestion: string;
}

export interface BasketResult {
  itemsets: ItemsetRow[];
  rules: RuleRow[];
  suggestions: SuggestionRow[];
  metrics: MetricRow[];
  scopes: {scope: string; invoices: number; itemsets: number; rules: number; minCount: number; limits: string}[];
}

/** Itemsets mined within the bounds of `settings`, the count each had to reach, and in words why. */
export interface BoundedMining {
  itemsets: Itemset[];
  minCount: number;
  limits: string;
}

const percent = (value: number, digits = 1) => `${(value * 100).toFixed(digits)}%`;

export function analyseBaskets(input: BasketInput, options: BasketOptions = {}): BasketResult {
  const settings = {...DEFAULT_BASKET_OPTIONS, ...options};
  const {minConfidence, countryMinInvoices, suggestions} = settings;
  for (const name of ["minInvoices", "maxSize", "maxItemsets", "countryMinInvoices", "holdoutDays", "suggestions"] as const) {
    const value = settings[name];
    if (!Number.isInteger(value) || value < 1) throw new Error(`invalid ${name}; not a positive integer: ${value}`);
  }
  minimumCount(settings.minSupport, 1);
  const n = input.offsets.length - 1;
  if (n < settings.minInvoices) {
    const details = `${n === 0 ? "No invoices" : `Only ${n} invoice${n === 1 ? "" : "s"}`}: a bundle needs products bought together in at least ${settings.minInvoices} invoices.`;
    return {itemsets: [], rules: [], suggestions: [], metrics: [notFitted(details)], scopes: []};
  }
  const codes = (items: readonly number[]) => items.map((item) => input.stockCodes[item]).join(", ");
  const names = (items: readonly number[]) => items.map((item) => input.descriptions[item] ?? input.stockCodes[item]).join(" + ");

  const perCountry = new Int32Array(input.countries.length);
  for (let t = 0; t < n; t++) perCountry[input.invoiceCountry[t]]++;
  const scopes: {scope: string; keep: (t: number) => boolean}[] = [{scope: ALL_COUNTRIES, keep: () => true}];
  input.countries
    .map((country, index) => ({country, index, invoices: perCountry[index]}))
    .filter((entry) => entry.invoices >= countryMinInvoices)
    .sort((a, b) => b.invoices - a.invoices || a.country.localeCompare(b.country))
    .forEach(({country, index}) => scopes.push({scope: country, keep: (t) => input.invoiceCountry[t] === index}));

  const result: BasketResult = {itemsets: [], rules: [], suggestions: [], metrics: [], scopes: []};
  for (const {scope, keep} of scopes) {
    const transactions = subset(input, keep);
    const count = transactions.offsets.length - 1;
    const {itemsets, minCount, limits} = mineBounded(transactions, settings);
    const rules = associationRules(itemsets, count, minConfidence);
    const singles = new Map(itemsets.filter((itemset) => itemset.items.length === 1).map((itemset) => [itemset.items[0], itemset.count]));
    for (const itemset of itemsets) {
      result.itemsets.push({
        scope,
        size: itemset.items.length,
        stock_codes: codes(itemset.items),
        products: names(itemset.items),
        invoices: itemset.count,
        support: itemset.count / count,
        lift: itemset.items.length > 1 ? itemsetLift(itemset, singles, count) : null
      });
    }
    for (const rule of rules) result.rules.push(ruleRow(scope, rule, codes, names));
    result.suggestions.push(...suggest(scope, itemsets, rules, singles, count, suggestions, codes, names));
    result.scopes.push({scope, invoices: count, itemsets: itemsets.length, rules: rules.length, minCount, limits});
  }
  const limits: MetricRow[] = result.scopes.map((scope) => ({
    model: "basket",
    method: "fp_growth",
    role: "published",
    metric: "min_invoices",
    split: `scope: ${scope.scope} (${scope.invoices} invoices)`,
    value: scope.minCount,
    n: scope.invoices,
    details: scope.limits
  }));
  const all = result.scopes[0];
  const fitted =
    all.rules > 0
      ? []
      : [
          notFitted(
            `No products are bought together often enough: no rule reaches ${percent(minConfidence, 0)} confidence among itemsets in at least ${all.minCount} of the ${all.invoices} invoices.`
          )
        ];
  result.metrics = [...fitted, ...limits, ...holdoutCheck(input, settings)];
  return result;
}

const notFitted = (details: string): MetricRow => notFittedRow("basket", details);

/**
 * FP-growth within bounds: itemsets in at least `minInvoices` invoices and `minSupport` of them, of at most
 * `maxSize` products; when more than `maxItemsets` qualify, the minimum count is raised (deterministically)
 * until they fit. The number of rounds is logarithmic in the invoices, each stops after `maxItemsets`.
 */
export function mineBounded(
  transactions: Transactions,
  settings: Pick<Required<BasketOptions>, "minSupport" | "minInvoices" | "maxSize" | "maxItemsets">
): BoundedMining {
  const {minSupport, minInvoices, maxSize, maxItemsets} = settings;
  const n = transactions.offsets.length - 1;
  const byShare = minimumCount(minSupport, n);
  let minCount = Math.max(minInvoices, byShare);
  const floor = minCount;
  for (;;) {
    try {
      const itemsets = fpGrowth(transactions, {minSupport, minCount, maxSize, maxItemsets});
      const why = [
        minCount > floor
          ? `in at least ${minCount} invoices, raised from ${floor} to keep at most ${maxItemsets} itemsets`
          : minInvoices > byShare
            ? `in at least ${minCount} invoices (the minimum; ${percent(minSupport, 0)} of ${n} invoices would be ${byShare})`
            : `in at least ${minCount} invoices (${percent(minSupport, 0)} of ${n})`,
        `of at most ${maxSize} products`
      ];
      return {itemsets, minCount, limits: `Itemsets ${why.join(", ")}.`};
    } catch (error) {
      if (!(error instanceof ItemsetLimitError)) throw error;
      minCount = Math.max(minCount + 1, Math.ceil(minCount * 1.5));
    }
  }
}

function ruleRow(scope: string, rule: Rule, codes: (items: readonly number[]) => string, names: (items: readonly number[]) => string): RuleRow {
  return {
    scope,
    antecedent_codes: codes(rule.antecedent),
    antecedent: names(rule.antecedent),
    consequent_codes: codes(rule.consequent),
    consequent: names(rule.consequent),
    size: rule.antecedent.length + rule.consequent.length,
    invoices: rule.count,
    antecedent_invoices: rule.antecedentCount,
    support: rule.support,
    confidence: rule.confidence,
    lift: rule.lift
  };
}

/** The transactions `keep` selects, as their own Transactions. */
export function subset(input: Transactions, keep: (t: number) => boolean): Transactions {
  const n = input.offsets.length - 1;
  const kept = new Uint8Array(n);
  let transactions = 0;
  let size = 0;
  for (let t = 0; t < n; t++) {
    if (!keep(t)) continue;
    kept[t] = 1;
    transactions++;
    size += input.offsets[t + 1] - input.offsets[t];
  }
  const offsets = new Int32Array(transactions + 1);
  const items = new Int32Array(size);
  let at = 0;
  let out = 0;
  for (let t = 0; t < n; t++) {
    if (!kept[t]) continue;
    items.set(input.items.subarray(input.offsets[t], input.offsets[t + 1]), at);
    at += input.offsets[t + 1] - input.offsets[t];
    offsets[++out] = at;
  }
  return {offsets, items, itemCount: input.itemCount};
}

/**
 * Bundles: the itemsets of two or more products bought together most often, with lift above 1.
 * Cross-sells: the most confident rules ("baskets with A usually have C").
 */
function suggest(
  scope: string,
  itemsets: readonly Itemset[],
  rules: readonly Rule[],
  singles: ReadonlyMap<number, number>,
  transactions: number,
  limit: number,
  codes: (items: readonly number[]) => string,
  names: (items: readonly number[]) => string
): SuggestionRow[] {
  const bundles = itemsets
    .filter((itemset) => itemset.items.length > 1)
    .map((itemset) => ({
      itemset,
      lift: itemsetLift(itemset, singles, transactions),
      confidence: itemset.count / Math.max(...itemset.items.map((item) => singles.get(item)!))
    }))
    .filter((bundle) => bundle.lift > 1)
    .sort((a, b) => b.itemset.count - a.itemset.count || b.lift - a.lift || codes(a.itemset.items).localeCompare(codes(b.itemset.items)))
    .slice(0, limit)
    .map(({itemset, lift, confidence}, index): SuggestionRow => ({
      scope,
      kind: "bundle",
      rank: index + 1,
      stock_codes: codes(itemset.items),
      products: names(itemset.items),
      invoices: itemset.count,
      support: itemset.count / transactions,
      confidence,
      lift,
      suggestion: `Bundle ${names(itemset.items)}: bought together in ${itemset.count} orders (${percent(itemset.count / transactions)}), ${lift.toFixed(1)}× as often as if unrelated`
    }));
  const crossSells = [...rules]
    .sort(
      (a, b) =>
        b.confidence - a.confidence ||
        b.lift - a.lift ||
        b.count - a.count ||
        codes(a.antecedent).localeCompare(codes(b.antecedent)) ||
        codes(a.consequent).localeCompare(codes(b.consequent))
    )
    .slice(0, limit)
    .map((rule, index): SuggestionRow => ({
      scope,
      kind: "cross_sell",
      rank: index + 1,
      stock_codes: codes([...rule.antecedent, ...rule.consequent]),
      products: `${names(rule.antecedent)} → ${names(rule.consequent)}`,
      invoices: rule.count,
      support: rule.support,
      confidence: rule.confidence,
      lift: rule.lift,
      suggestion: `When a basket has ${names(rule.antecedent)}, suggest ${names(rule.consequent)}: ${percent(rule.confidence, 0)} of such orders include it (${rule.lift.toFixed(1)}× its usual rate)`
    }));
  return [...bundles, ...crossSells];
}

/**
 * Time split: rules mined on all invoices before the last `holdoutDays` are checked on the invoices of
 * those days. A rule's holdout confidence is compared with its consequent's holdout base rate, i.e.
 * suggesting C to every basket regardless of A (the baseline).
 */
function holdoutCheck(input: BasketInput, settings: Required<BasketOptions>): MetricRow[] {
  const {minSupport, minConfidence, holdoutDays} = settings;
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const value of input.invoiceDay) lastDay = Math.max(lastDay, value);
  const start = lastDay - holdoutDays + 1;
  const train = subset(input, (t) => input.invoiceDay[t] < start);
  const holdout = subset(input, (t) => input.invoiceDay[t] >= start);
  const trainCount = train.offsets.length - 1;
  const holdoutCount = holdout.offsets.length - 1;
  const day = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  const split = `time: mined on ${trainCount} invoices before ${day(start)}, checked on ${holdoutCount} invoices from ${day(start)} to ${day(lastDay)}`;
  const skipped = (why: string): MetricRow[] => [
    {
      model: "basket",
      method: "association_rules",
      role: "published",
      metric: "not_evaluated",
      split,
      value: null,
      n: 0,
      details: `Not checked on later invoices: ${why}.`
    }
  ];
  if (trainCount === 0 || holdoutCount === 0) return skipped("no invoices before or within the holdout window");
  if (trainCount < settings.minInvoices)
    return skipped(`only ${trainCount} invoices before the holdout window, fewer than the ${settings.minInvoices}-invoice minimum`);
  const rules = associationRules(mineBounded(train, settings).itemsets, trainCount, minConfidence);
  // Count, in the holdout, baskets with each rule's antecedent, with both sides, and with its consequent:
  // AND of per-item bitsets over holdout invoices, so the cost is rules × items × invoices / 32.
  const words = Math.ceil(holdoutCount / 32);
  const bits = new Map<number, Uint32Array>();
  for (const rule of rules) for (const item of [...rule.antecedent, ...rule.consequent]) if (!bits.has(item)) bits.set(item, new Uint32Array(words));
  for (let t = 0; t < holdoutCount; t++) {
    for (let k = holdout.offsets[t]; k < holdout.offsets[t + 1]; k++) {
      const set = bits.get(holdout.items[k]);
      if (set) set[t >>> 5] |= 1 << (t & 31);
    }
  }
  const withA = new Float64Array(rules.length);
  const withBoth = new Float64Array(rules.length);
  const withC = new Float64Array(rules.length);
  rules.forEach((rule, r) => {
    const a = rule.antecedent.map((item) => bits.get(item)!);
    const c = rule.consequent.map((item) => bits.get(item)!);
    for (let w = 0; w < words; w++) {
      let inA = ~0;
      for (const set of a) inA &= set[w];
      let inC = ~0;
      for (const set of c) inC &= set[w];
      withA[r] += popcount(inA);
      withC[r] += popcount(inC);
      withBoth[r] += popcount(inA & inC);
    }
  });
  const seen = rules.map((_, r) => r).filter((r) => withA[r] > 0);
  if (seen.length === 0) return skipped(`none of the ${rules.length} rules mined before it has its antecedent in the holdout`);
  const baskets = seen.reduce((sum, r) => sum + withA[r], 0);
  const confidence = seen.reduce((sum, r) => sum + withBoth[r], 0) / baskets;
  const baseRate = seen.reduce((sum, r) => sum + withA[r] * (withC[r] / holdoutCount), 0) / baskets;
  const confirmed = seen.filter((r) => withBoth[r] / withA[r] >= minConfidence).length;
  const common = {model: "basket", split, n: baskets};
  const verdict =
    confidence > baseRate ? "Rules beat the baseline on invoices they did not see." : "Rules do not beat the baseline on invoices they did not see.";
  return [
    {
      ...common,
      method: "association_rules",
      role: "published",
      metric: "rules_mined",
      value: rules.length,
      n: trainCount,
      details: `Rules with support ≥ ${percent(minSupport, 0)} (and in at least ${settings.minInvoices} invoices) and confidence ≥ ${percent(minConfidence, 0)} on the earlier invoices; ${seen.length} have their antecedent in the holdout.`
    },
    {
      ...common,
      method: "association_rules",
      role: "published",
      metric: "holdout_confidence",
      value: confidence,
      details: `Share of holdout baskets with a rule's antecedent that also have its consequent (over ${seen.length} rules, weighted by baskets). ${verdict}`
    },
    {
      ...common,
      method: "association_rules",
      role: "published",
      metric: "holdout_lift",
      value: confidence / baseRate,
      details: "Holdout confidence ÷ the consequents' holdout base rate."
    },
    {
      ...common,
      method: "association_rules",
      role: "published",
      metric: "rules_confirmed",
      value: seen.length ? confirmed / seen.length : null,
      n: seen.length,
      details: `Share of rules whose holdout confidence is still ≥ ${percent(minConfidence, 0)}.`
    },
    {
      ...common,
      method: "consequent_base_rate",
      role: "baseline",
      metric: "holdout_confidence",
      value: baseRate,
      details: "Suggesting each rule's consequent to every basket: its share of holdout invoices (what a rule must beat)."
    }
  ];
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
