/**
 * FP-growth (Han, Pei and Yin 2000) on typed arrays: frequent itemsets of transactions of small integer
 * items. Items are first ranked by descending support (ties: lower id), transactions are inserted into a
 * prefix tree in that order, and each item's conditional pattern base is mined recursively bottom-up.
 */

export interface Transactions {
  /** Distinct items of transaction t: items[offsets[t] … offsets[t + 1]). Item ids are 0 … itemCount − 1. */
  offsets: Int32Array;
  items: Int32Array;
  itemCount: number;
}

export interface Itemset {
  /** Item ids, ascending. */
  items: number[];
  /** Transactions containing every item. */
  count: number;
}

export interface FpGrowthOptions {
  /** Smallest share of transactions an itemset must be in (0–1]. Default: 0.02. */
  minSupport?: number;
  /**
   * Smallest number of transactions an itemset must be in, whatever the share: on a hundred invoices 2% is
   * two, and two large invoices sharing 40 products have 2^40 common itemsets. Default: 1.
   */
  minCount?: number;
  /** Largest itemset size mined. Default: no limit. */
  maxSize?: number;
  /** Mining stops with an ItemsetLimitError once more than this many itemsets are found. Default: no limit. */
  maxItemsets?: number;
}

/** Thrown by fpGrowth when more than `maxItemsets` itemsets are frequent. */
export class ItemsetLimitError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} frequent itemsets`);
  }
}

/** The smallest count that meets `minSupport` of `n` transactions (count ≥ minSupport·n). */
export function minimumCount(minSupport: number, n: number): number {
  if (!(minSupport > 0 && minSupport <= 1)) throw new Error(`invalid minSupport; expected a number in (0, 1]: ${minSupport}`);
  // Guard against 0.02 × 19773 = 395.46000000000004-style rounding.
  return Math.max(1, Math.ceil(minSupport * n - 1e-9));
}

/** Every itemset in at least minSupport of the transactions, sorted by size, then items. */
export function fpGrowth(transactions: Transactions, options: FpGrowthOptions = {}): Itemset[] {
  const {minSupport = 0.02, maxSize = Number.POSITIVE_INFINITY, maxItemsets = Number.POSITIVE_INFINITY} = options;
  if (!(maxSize >= 1)) throw new Error(`invalid maxSize; not a positive number: ${maxSize}`);
  if (!(maxItemsets >= 1)) throw new Error(`invalid maxItemsets; not a positive number: ${maxItemsets}`);
  if (options.minCount !== undefined && !(Number.isInteger(options.minCount) && options.minCount >= 1)) {
    throw new Error(`invalid minCount; not a positive integer: ${options.minCount}`);
  }
  const {offsets, items, itemCount} = transactions;
  const n = offsets.length - 1;
  const minCount = Math.max(options.minCount ?? 1, minimumCount(minSupport, n));
  const support = new Float64Array(itemCount);
  for (let t = 0; t < n; t++) {
    for (let k = offsets[t]; k < offsets[t + 1]; k++) {
      const item = items[k];
      if (!(item >= 0 && item < itemCount)) throw new Error(`invalid item id in transaction ${t}; expected 0 to ${itemCount - 1}: ${item}`);
      if (k > offsets[t] && items[k - 1] >= item) throw new Error(`transaction ${t} is not sorted and distinct: ${items[k - 1]} then ${item}`);
      support[item]++;
    }
  }
  // rank[item] = position in descending support; only frequent items get one.
  const frequent = Array.from({length: itemCount}, (_, item) => item)
    .filter((item) => support[item] >= minCount)
    .sort((a, b) => support[b] - support[a] || a - b);
  const rank = new Int32Array(itemCount).fill(-1);
  frequent.forEach((item, r) => (rank[item] = r));

  const tree = new FpTree(frequent.length, 1024);
  const path = new Int32Array(frequent.length);
  for (let t = 0; t < n; t++) {
    let length = 0;
    for (let k = offsets[t]; k < offsets[t + 1]; k++) if (rank[items[k]] >= 0) path[length++] = rank[items[k]];
    path.subarray(0, length).sort();
    tree.insert(path, length, 1);
  }
  const found: Itemset[] = [];
  mine(tree, [], minCount, maxSize, (ranks, count) => {
    if (found.length === maxItemsets) throw new ItemsetLimitError(maxItemsets);
    found.push({items: ranks.map((r) => frequent[r]).sort((a, b) => a - b), count});
  });
  return found.sort(compareItemsets);
}

export function compareItemsets(a: Itemset, b: Itemset): number {
  if (a.items.length !== b.items.length) return a.items.length - b.items.length;
  for (let k = 0; k < a.items.length; k++) if (a.items[k] !== b.items[k]) return a.items[k] - b.items[k];
  return 0;
}

/**
 * A prefix tree of rank-sorted paths with per-rank node lists (the FP-tree's header table). Children are
 * found through first-child / next-sibling links, except the root's, which are indexed by rank.
 */
class FpTree {
  item: Int32Array;
  count: Float64Array;
  parent: Int32Array;
  nextSame: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  size = 1; // node 0 is the root
  readonly head: Int32Array;
  readonly total: Float64Array;
  private readonly rootChild: Int32Array;

  constructor(
    readonly ranks: number,
    capacity = 64
  ) {
    this.item = new Int32Array(capacity);
    this.count = new Float64Array(capacity);
    this.parent = new Int32Array(capacity);
    this.nextSame = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity).fill(-1);
    this.nextSibling = new Int32Array(capacity);
    this.head = new Int32Array(ranks).fill(-1);
    this.total = new Float64Array(ranks);
    this.rootChild = new Int32Array(ranks).fill(-1);
    this.item[0] = -1;
    this.parent[0] = -1;
  }

  insert(path: ArrayLike<number>, length: number, weight: number): void {
    let node = 0;
    for (let p = 0; p < length; p++) {
      const r = path[p];
      let child = node === 0 ? this.rootChild[r] : this.firstChild[node];
      if (node !== 0) while (child !== -1 && this.item[child] !== r) child = this.nextSibling[child];
      if (child === -1) {
        child = this.grow();
        this.item[child] = r;
        this.parent[child] = node;
        this.nextSame[child] = this.head[r];
        this.head[r] = child;
        if (node === 0) this.rootChild[r] = child;
        else {
          this.nextSibling[child] = this.firstChild[node];
          this.firstChild[node] = child;
        }
      }
      this.count[child] += weight;
      this.total[r] += weight;
      node = child;
    }
  }

  private grow(): number {
    if (this.size === this.item.length) {
      const capacity = this.size * 2;
      const resize = <A extends Int32Array | Float64Array>(array: A, fill = 0): A => {
        const next = new (array.constructor as new (n: number) => A)(capacity);
        if (fill !== 0) next.fill(fill);
        next.set(array);
        return next;
      };
      this.item = resize(this.item);
      this.count = resize(this.count);
      this.parent = resize(this.parent);
      this.nextSame = resize(this.nextSame);
      this.firstChild = resize(this.firstChild, -1);
      this.nextSibling = resize(this.nextSibling);
    }
    return this.size++;
  }
}

/** Mines `tree` (all of whose items are frequent given `prefix`), least frequent rank first. */
function mine(tree: FpTree, prefix: number[], minCount: number, maxSize: number, emit: (ranks: number[], count: number) => void): void {
  const path = new Int32Array(tree.ranks);
  for (let r = tree.ranks - 1; r >= 0; r--) {
    const count = tree.total[r];
    if (count < minCount) continue;
    const itemset = [...prefix, r];
    emit(itemset, count);
    if (itemset.length >= maxSize) continue;
    // Conditional pattern base of r: the path above each r-node, weighted by that node's count.
    const conditional = new Float64Array(r);
    for (let node = tree.head[r]; node !== -1; node = tree.nextSame[node]) {
      for (let up = tree.parent[node]; up > 0; up = tree.parent[up]) conditional[tree.item[up]] += tree.count[node];
    }
    let any = false;
    for (let q = 0; q < r; q++) if (conditional[q] >= minCount) any = true;
    if (!any) continue;
    const child = new FpTree(r);
    for (let node = tree.head[r]; node !== -1; node = tree.nextSame[node]) {
      // Walking up gives descending ranks: fill the path from its end.
      let depth = 0;
      for (let up = tree.parent[node]; up > 0; up = tree.parent[up]) if (conditional[tree.item[up]] >= minCount) depth++;
      if (depth === 0) continue;
      let at = depth;
      for (let up = tree.parent[node]; up > 0; up = tree.parent[up]) if (conditional[tree.item[up]] >= minCount) path[--at] = tree.item[up];
      child.insert(path, depth, tree.count[node]);
    }
    mine(child, itemset, minCount, maxSize, emit);
  }
}
