import type {Random} from "../random.js";
import type {Thresholds} from "./bins.js";

/**
 * A binary classification tree in flat arrays (node 0 is the root). An internal node sends x to `left`
 * when x[feature] ≤ threshold; a leaf has feature −1. `value` is the share of positives among the
 * (bootstrap-weighted) training cases that reached the node, for leaves and internal nodes alike.
 */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface TreeOptions {
  /** Deepest level a node may be at (the root is at 0). */
  maxDepth: number;
  /** Smallest total weight (bootstrap count) a child may have. */
  minSamplesLeaf: number;
  /** Features drawn at random for each split; more are tried only when none of them can split. */
  maxFeatures: number;
}

/** The binned training data a tree is grown on. */
export interface BinnedData {
  /** Bin codes, feature-major. */
  codes: readonly Uint8Array[];
  thresholds: Thresholds;
  /** 0 or 1 per case. */
  labels: Uint8Array;
}

/**
 * Grows one tree by Gini impurity on histograms of the binned features: each node scans, for each
 * candidate feature, a histogram of (weight, positive weight) per bin, so the cost is proportional to the
 * node's cases times the candidate features. Cases with weight 0 (out of the bootstrap) take no part.
 * `importance[f]` accumulates the weighted impurity decrease of the splits on feature f.
 */
export function growTree(data: BinnedData, weights: Float64Array, options: TreeOptions, random: Random, importance: Float64Array): Tree {
  const {codes, thresholds, labels} = data;
  const features = codes.length;
  const tree: Tree = {feature: [], threshold: [], left: [], right: [], value: []};
  let members = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) members++;
  const cases = new Uint32Array(members);
  let rootWeight = 0;
  let rootPositive = 0;
  for (let i = 0, next = 0; i < weights.length; i++) {
    if (weights[i] <= 0) continue;
    cases[next++] = i;
    rootWeight += weights[i];
    rootPositive += weights[i] * labels[i];
  }
  const maxBins = Math.max(1, ...thresholds.map((cuts) => cuts.length + 1));
  const histogramWeight = new Float64Array(maxBins);
  const histogramPositive = new Float64Array(maxBins);
  const order = Int32Array.from({length: features}, (_, f) => f);

  // Depth-first, with an explicit stack of [node, start, end, depth, weight, positive weight].
  const stack: [number, number, number, number, number, number][] = [];
  const addNode = (start: number, end: number, depth: number, weight: number, positive: number) => {
    const node = tree.value.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(weight > 0 ? positive / weight : 0);
    stack.push([node, start, end, depth, weight, positive]);
    return node;
  };
  addNode(0, cases.length, 0, rootWeight, rootPositive);

  while (stack.length > 0) {
    const [node, start, end, depth, weight, positive] = stack.pop()!;
    if (depth >= options.maxDepth || positive === 0 || positive === weight || weight < 2 * options.minSamplesLeaf) continue;
    const parentImpurity = gini(weight, positive);

    // Partial Fisher–Yates: the first `maxFeatures` of `order` are this node's random candidates.
    let bestScore = Number.POSITIVE_INFINITY;
    let bestFeature = -1;
    let bestBin = -1;
    let bestLeftWeight = 0;
    let bestLeftPositive = 0;
    for (let tried = 0; tried < features; tried++) {
      if (tried >= options.maxFeatures && bestFeature >= 0) break;
      const swap = tried + Math.floor(random() * (features - tried));
      [order[tried], order[swap]] = [order[swap], order[tried]];
      const feature = order[tried];
      const bins = thresholds[feature].length + 1;
      if (bins < 2) continue;
      histogramWeight.fill(0, 0, bins);
      histogramPositive.fill(0, 0, bins);
      const column = codes[feature];
      for (let i = start; i < end; i++) {
        const c = cases[i];
        const w = weights[c];
        histogramWeight[column[c]] += w;
        histogramPositive[column[c]] += w * labels[c];
      }
      let leftWeight = 0;
      let leftPositive = 0;
      for (let bin = 0; bin < bins - 1; bin++) {
        leftWeight += histogramWeight[bin];
        leftPositive += histogramPositive[bin];
        const rightWeight = weight - leftWeight;
        if (leftWeight < options.minSamplesLeaf) continue;
        if (rightWeight < options.minSamplesLeaf) break;
        // Weighted child impurity, up to the factor 2 that gini() carries.
        const score =
          (leftPositive * (leftWeight - leftPositive)) / leftWeight + ((positive - leftPositive) * (rightWeight - positive + leftPositive)) / rightWeight;
        if (score < bestScore - 1e-12) {
          bestScore = score;
          bestFeature = feature;
          bestBin = bin;
          bestLeftWeight = leftWeight;
          bestLeftPositive = leftPositive;
        }
      }
    }
    if (bestFeature < 0) continue;
    const decrease = weight * parentImpurity - 2 * bestScore;
    if (!(decrease > 1e-12)) continue;
    importance[bestFeature] += decrease;

    // Partition cases[start, end) into bin ≤ bestBin, then the rest.
    const column = codes[bestFeature];
    let split = start;
    for (let i = start; i < end; i++) {
      if (column[cases[i]] <= bestBin) {
        const swap = cases[split];
        cases[split] = cases[i];
        cases[i] = swap;
        split++;
      }
    }
    tree.feature[node] = bestFeature;
    tree.threshold[node] = thresholds[bestFeature][bestBin];
    // The right child is pushed first so the left one is grown first.
    tree.right[node] = addNode(split, end, depth + 1, weight - bestLeftWeight, positive - bestLeftPositive);
    tree.left[node] = addNode(start, split, depth + 1, bestLeftWeight, bestLeftPositive);
  }
  return tree;
}

/** Gini impurity of a node with total weight w, of which `positive` is positive. */
export function gini(w: number, positive: number): number {
  if (w <= 0) return 0;
  const p = positive / w;
  return 2 * p * (1 - p);
}

/** The leaf that case `row` of feature-major `columns` reaches. */
export function leafOf(tree: Tree, columns: readonly ArrayLike<number>[], row: number): number {
  const {feature, threshold, left, right} = tree;
  let node = 0;
  while (feature[node] >= 0) node = columns[feature[node]][row] <= threshold[node] ? left[node] : right[node];
  return node;
}
