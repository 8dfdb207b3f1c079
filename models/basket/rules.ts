import type {Itemset} from "./fpgrowth.js";

/** An association rule A → C from frequent itemsets: how often baskets with A also have C. */
export interface Rule {
  antecedent: number[];
  consequent: number[];
  /** Transactions with A ∪ C. */
  count: number;
  /** Transactions with A. */
  antecedentCount: number;
  /** count / transactions. */
  support: number;
  /** count / antecedentCount: P(C | A). */
  confidence: number;
  /** confidence / P(C): how many times more often C comes with A than without knowing A. */
  lift: number;
}

const key = (items: readonly number[]) => items.join(",");

/**
 * Every rule A → C (A, C non-empty and disjoint, A ∪ C a frequent itemset) with confidence at least
 * `minConfidence`; sorted by descending lift, confidence, count, then items. Every subset of a frequent
 * itemset is frequent, so all the counts needed are in `itemsets`.
 */
export function associationRules(itemsets: readonly Itemset[], transactions: number, minConfidence: number): Rule[] {
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new Error(`invalid minConfidence; expected a number from 0 to 1: ${minConfidence}`);
  const counts = new Map(itemsets.map((itemset) => [key(itemset.items), itemset.count]));
  const rules: Rule[] = [];
  for (const itemset of itemsets) {
    const size = itemset.items.length;
    if (size < 2) continue;
    // Every non-empty proper subset as the antecedent (bit masks: itemsets are small).
    for (let mask = 1; mask < (1 << size) - 1; mask++) {
      const antecedent = itemset.items.filter((_, i) => mask & (1 << i));
      const consequent = itemset.items.filter((_, i) => !(mask & (1 << i)));
      const antecedentCount = counts.get(key(antecedent));
      const consequentCount = counts.get(key(consequent));
      if (antecedentCount === undefined || consequentCount === undefined) {
        throw new Error(`itemsets are not closed under subsets: missing ${antecedentCount === undefined ? key(antecedent) : key(consequent)}`);
      }
      const confidence = itemset.count / antecedentCount;
      if (confidence < minConfidence) continue;
      rules.push({
        antecedent,
        consequent,
        count: itemset.count,
        antecedentCount,
        support: itemset.count / transactions,
        confidence,
        lift: confidence / (consequentCount / transactions)
      });
    }
  }
  return rules.sort(
    (a, b) => b.lift - a.lift || b.confidence - a.confidence || b.count - a.count || compare(a.antecedent, b.antecedent) || compare(a.consequent, b.consequent)
  );
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * An itemset's lift: its count against what independent items would give,
 * count·n^(k−1) / Π count(item) (for a pair, the usual lift).
 */
export function itemsetLift(itemset: Itemset, singles: ReadonlyMap<number, number>, transactions: number): number {
  let expected = 1;
  for (const item of itemset.items) expected *= singles.get(item)! / transactions;
  return itemset.count / transactions / expected;
}
