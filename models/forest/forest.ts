import {mulberry32, randomInt} from "../random.js";
import {applyThresholds, fitThresholds, type Thresholds} from "./bins.js";
import {growTree, leafOf, type Tree} from "./tree.js";

/** Options of fitForest; every one has a default. */
export interface ForestOptions {
  /** Trees in the forest. Default: 300. */
  trees?: number;
  /** Deepest level of a node (the root is level 0). Default: 12. */
  maxDepth?: number;
  /** Smallest bootstrap weight of a leaf. Default: 5. */
  minSamplesLeaf?: number;
  /** Features drawn per split: "sqrt" (⌈√features⌉), or a number. Default: "sqrt". */
  maxFeatures?: "sqrt" | number;
  /** Bins per feature (2–256). Default: 32. */
  maxBins?: number;
  /** Seed of the bootstraps and feature draws. Default: 42. */
  seed?: number;
}

export const FOREST_DEFAULTS = {trees: 300, maxDepth: 12, minSamplesLeaf: 5, maxFeatures: "sqrt", maxBins: 32, seed: 42} as const;

/**
 * A fitted forest: every tree's nodes in flat typed arrays (structured-cloneable, V8-serialisable, and
 * prediction's hot loop). Tree t starts at node `roots[t]`; child indices are absolute; a leaf has feature
 * −1; `value` is the share of positives at each node (leaves and internal nodes alike).
 */
export interface Forest {
  features: number;
  thresholds: Thresholds;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Mean decrease in Gini impurity per feature, normalised to sum to 1 (on the training data). */
  impurityImportance: number[];
  /**
   * Out-of-bag probability of each training case: the mean over the trees whose bootstrap left it out
   * (NaN for a case every tree saw). An honest estimate on the training data itself.
   */
  outOfBag: number[];
}

/** What prediction needs of a forest (a stored model can drop the out-of-bag predictions). */
export type Trees = Omit<Forest, "outOfBag">;

/**
 * A random forest classifier (bootstrap samples, random feature subsets per split, Gini trees) on
 * histogram-binned features: each feature is binned once, so growing a tree costs O(cases × candidate
 * features × depth) with no sorting. Columns are feature-major; labels are 0 or 1. Deterministic for a seed.
 */
export function fitForest(columns: readonly ArrayLike<number>[], labels: ArrayLike<number>, options: ForestOptions = {}): Forest {
  const settings = {...FOREST_DEFAULTS, ...options};
  const features = columns.length;
  const n = labels.length;
  if (features === 0) throw new Error("a forest needs at least one feature");
  for (const [f, column] of columns.entries()) if (column.length !== n) throw new Error(`feature ${f} has ${column.length} values, expected ${n}`);
  for (let i = 0; i < n; i++) if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`invalid label at ${i}; expected 0 or 1: ${labels[i]}`);
  if (!Number.isInteger(settings.trees) || settings.trees < 1) throw new Error(`invalid trees; not a positive integer: ${settings.trees}`);
  if (!Number.isInteger(settings.maxDepth) || settings.maxDepth < 1) throw new Error(`invalid maxDepth; not a positive integer: ${settings.maxDepth}`);
  if (!(settings.minSamplesLeaf >= 1)) throw new Error(`invalid minSamplesLeaf; not at least 1: ${settings.minSamplesLeaf}`);
  const maxFeatures = settings.maxFeatures === "sqrt" ? Math.ceil(Math.sqrt(features)) : settings.maxFeatures;
  if (!Number.isInteger(maxFeatures) || maxFeatures < 1 || maxFeatures > features) {
    throw new Error(`invalid maxFeatures; not "sqrt" or an integer from 1 to ${features}: ${settings.maxFeatures}`);
  }

  const thresholds = fitThresholds(columns, settings.maxBins);
  const data = {codes: applyThresholds(columns, thresholds), thresholds, labels: Uint8Array.from(labels)};
  const importance = new Float64Array(features);
  const oobSum = new Float64Array(n);
  const oobCount = new Float64Array(n);
  const weights = new Float64Array(n);
  const seeds = mulberry32(settings.seed);
  const trees: Tree[] = [];
  for (let t = 0; t < settings.trees; t++) {
    // Each tree has its own generator, so a tree depends only on the seed and its index.
    const random = mulberry32(Math.floor(seeds() * 2 ** 32));
    weights.fill(0);
    for (let draw = 0; draw < n; draw++) weights[randomInt(random, n)]++;
    const tree = growTree(data, weights, {maxDepth: settings.maxDepth, minSamplesLeaf: settings.minSamplesLeaf, maxFeatures}, random, importance);
    trees.push(tree);
    for (let i = 0; i < n; i++) {
      if (weights[i] > 0) continue;
      oobSum[i] += tree.value[leafOf(tree, columns, i)];
      oobCount[i]++;
    }
  }
  const totalImportance = importance.reduce((sum, value) => sum + value, 0);
  return {
    features,
    thresholds,
    ...pack(trees),
    impurityImportance: Array.from(importance, (value) => (totalImportance > 0 ? value / totalImportance : 0)),
    outOfBag: Array.from(oobSum, (sum, i) => (oobCount[i] > 0 ? sum / oobCount[i] : Number.NaN))
  };
}

/** Probability of the positive class for each case (the mean of the trees' leaf values). */
export function predictForest(forest: Trees, columns: readonly ArrayLike<number>[]): Float64Array {
  checkColumns(forest, columns);
  const n = columns[0].length;
  const {roots, feature, threshold, left, right, value} = forest;
  const p = forest.features;
  const rows = rowMajor(columns, p);
  const result = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * p;
    let sum = 0;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t];
      let f = feature[node];
      while (f >= 0) {
        node = rows[base + f] <= threshold[node] ? left[node] : right[node];
        f = feature[node];
      }
      sum += value[node];
    }
    result[i] = sum / roots.length;
  }
  return result;
}

/** The trees' nodes laid end to end (child indices made absolute). */
function pack(trees: readonly Tree[]) {
  const size = trees.reduce((sum, tree) => sum + tree.value.length, 0);
  const packed = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(size),
    threshold: new Float64Array(size),
    left: new Int32Array(size),
    right: new Int32Array(size),
    value: new Float64Array(size)
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    packed.roots[t] = offset;
    for (let node = 0; node < tree.value.length; node++) {
      packed.feature[offset + node] = tree.feature[node];
      packed.threshold[offset + node] = tree.threshold[node];
      packed.left[offset + node] = tree.feature[node] < 0 ? -1 : offset + tree.left[node];
      packed.right[offset + node] = tree.feature[node] < 0 ? -1 : offset + tree.right[node];
      packed.value[offset + node] = tree.value[node];
    }
    offset += tree.value.length;
  });
  return packed;
}

/**
 * Each feature's contribution to each case's probability (Saabas): along a case's path in a tree, every
 * split moves the node value from parent to child, and that change is credited to the split's feature.
 * Averaged over the trees, probability = bias + Σ contributions exactly. `contributions` is row-major:
 * case i, feature f at [i × features + f].
 */
export function explainForest(forest: Trees, columns: readonly ArrayLike<number>[]): {bias: number; contributions: Float64Array} {
  checkColumns(forest, columns);
  const n = columns[0].length;
  const p = forest.features;
  const {roots, feature, threshold, left, right, value} = forest;
  const rows = rowMajor(columns, p);
  const contributions = new Float64Array(n * p);
  let bias = 0;
  for (let t = 0; t < roots.length; t++) bias += value[roots[t]];
  for (let i = 0; i < n; i++) {
    const base = i * p;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t];
      let f = feature[node];
      while (f >= 0) {
        const child = rows[base + f] <= threshold[node] ? left[node] : right[node];
        contributions[base + f] += value[child] - value[node];
        node = child;
        f = feature[node];
      }
    }
  }
  for (let k = 0; k < contributions.length; k++) contributions[k] /= roots.length;
  return {bias: bias / roots.length, contributions};
}

function rowMajor(columns: readonly ArrayLike<number>[], p: number): Float64Array {
  const n = columns[0].length;
  const rows = new Float64Array(n * p);
  for (let f = 0; f < p; f++) {
    const column = columns[f];
    for (let i = 0; i < n; i++) rows[i * p + f] = column[i];
  }
  return rows;
}

function checkColumns(forest: Trees, columns: readonly ArrayLike<number>[]): void {
  if (columns.length !== forest.features) throw new Error(`the forest was fitted on ${forest.features} features, got ${columns.length}`);
  const n = columns[0].length;
  for (const [f, column] of columns.entries()) {
    if (column.length !== n) throw new Error(`feature ${f} has ${column.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) if (Number.isNaN(column[i])) throw new Error(`invalid value of feature ${f} at ${i}: NaN`);
  }
}
