/**
 * A deliberately simple frequent-itemset counter to check FP-growth against: level by level, it counts
 * every k-subset of every transaction's frequent items (keeping only subsets whose (k−1)-subsets are all
 * frequent, which every frequent itemset satisfies) in a Map keyed by the joined items.
 */
export function bruteForceItemsets(transactions: readonly (readonly number[])[], minCount: number): Map<string, number> {
  const result = new Map<string, number>();
  let level = new Map<string, number>();
  for (const transaction of transactions) for (const item of new Set(transaction)) level.set(String(item), (level.get(String(item)) ?? 0) + 1);
  for (let size = 1; ; size++) {
    const frequent = new Map([...level].filter(([, count]) => count >= minCount));
    if (frequent.size === 0) break;
    for (const [key, count] of frequent) result.set(key, count);
    const frequentItems = new Set([...frequent.keys()].flatMap((key) => key.split(",").map(Number)));
    level = new Map();
    for (const transaction of transactions) {
      const items = [...new Set(transaction)].filter((item) => frequentItems.has(item)).sort((a, b) => a - b);
      for (const subset of subsets(items, size + 1)) {
        const key = subset.join(",");
        if (!allSmallerFrequent(subset, frequent)) continue;
        level.set(key, (level.get(key) ?? 0) + 1);
      }
    }
  }
  return result;
}

function allSmallerFrequent(subset: readonly number[], frequent: Map<string, number>): boolean {
  for (let skip = 0; skip < subset.length; skip++) {
    if (!frequent.has(subset.filter((_, i) => i !== skip).join(","))) return false;
  }
  return true;
}

function* subsets(items: readonly number[], size: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === size) {
    yield prefix.slice();
    return;
  }
  for (let i = start; i <= items.length - (size - prefix.length); i++) {
    prefix.push(items[i]);
    yield* subsets(items, size, i + 1, prefix);
    prefix.pop();
  }
}
