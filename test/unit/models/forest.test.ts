import {RandomForestClassifier} from "ml-random-forest";
import {describe, expect, it} from "vitest";
import {applyThresholds, fitThresholds} from "../../../models/forest/bins.js";
import {explainForest, fitForest, predictForest} from "../../../models/forest/forest.js";
import {rocAuc} from "../../../models/metrics/roc.js";
import {gaussian, mulberry32} from "../../../models/random.js";

/** Feature-major columns of `n` uniform features, and labels from `rule` on a row. */
function dataset(n: number, features: number, seed: number, rule: (row: number[], random: () => number) => number) {
  const random = mulberry32(seed);
  const rows = Array.from({length: n}, () => Array.from({length: features}, () => random()));
  const labels = rows.map((row) => rule(row, random));
  const columns = Array.from({length: features}, (_, f) => Float64Array.from(rows, (row) => row[f]));
  return {rows, labels, columns};
}

const slice = (columns: Float64Array[], start: number, end: number) => columns.map((column) => column.slice(start, end));

describe("feature bins", () => {
  it("cuts few distinct values at midpoints and many at quantiles", () => {
    expect(fitThresholds([[1, 1, 2, 5, 5, 5]], 32)).toEqual([[1.5, 3.5]]);
    const many = Array.from({length: 100}, (_, i) => i);
    expect(fitThresholds([many], 4)).toEqual([[25, 50, 75]]);
    // Bin b holds thresholds[b − 1] < x ≤ thresholds[b].
    expect(Array.from(applyThresholds([[0, 25, 25.5, 50, 99]], [[25, 50, 75]])[0])).toEqual([0, 0, 1, 1, 3]);
  });

  it("rejects values that are not numbers", () => {
    expect(() => fitThresholds([[1, Number.NaN]])).toThrow("invalid value of feature 0; not a finite number: NaN");
  });
});

describe("random forest", () => {
  it("learns a known rule (an interaction) and ignores noise features", () => {
    // y = 1 exactly when x0 > 0.5 xor x1 > 0.5; features 2–5 are noise.
    const {labels, columns} = dataset(3000, 6, 1, (row) => Number(row[0] > 0.5 !== row[1] > 0.5));
    const forest = fitForest(slice(columns, 0, 2000), labels.slice(0, 2000), {trees: 100, maxDepth: 8, minSamplesLeaf: 1, maxFeatures: 3, seed: 3});
    const predicted = predictForest(forest, slice(columns, 2000, 3000));
    const accuracy = labels.slice(2000).filter((label, i) => Number(predicted[i] >= 0.5) === label).length / 1000;
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
    // The rule features carry most of the impurity decrease, each far more than any noise feature (a greedy
    // tree must sometimes split on noise first: an xor has no gain on one feature alone).
    const noise = Math.max(...forest.impurityImportance.slice(2));
    expect(forest.impurityImportance[0] + forest.impurityImportance[1]).toBeGreaterThan(0.8);
    expect(Math.min(forest.impurityImportance[0], forest.impurityImportance[1])).toBeGreaterThan(5 * noise);
  });

  it("estimates honestly out of bag: about 0.5 on pure-noise labels", () => {
    const {labels, columns} = dataset(1000, 5, 2, (_, random) => Number(random() < 0.5));
    const forest = fitForest(columns, labels, {trees: 100, maxDepth: 12, minSamplesLeaf: 1, seed: 1});
    // The forest memorises its training data, but out of bag it knows nothing.
    expect(rocAuc(predictForest(forest, columns), labels)).toBeGreaterThan(0.95);
    expect(forest.outOfBag.every((p) => !Number.isNaN(p))).toBe(true);
    expect(Math.abs(rocAuc(forest.outOfBag, labels) - 0.5)).toBeLessThan(0.06);
  });

  it("is deterministic for a seed and explains each probability exactly", () => {
    const {labels, columns} = dataset(500, 4, 3, (row, random) => Number(row[0] + 0.3 * random() > 0.6));
    const forest = fitForest(columns, labels, {trees: 30, seed: 9});
    expect(fitForest(columns, labels, {trees: 30, seed: 9})).toEqual(forest);
    expect(fitForest(columns, labels, {trees: 30, seed: 10})).not.toEqual(forest);
    const probabilities = predictForest(forest, columns);
    const {bias, contributions} = explainForest(forest, columns);
    for (let i = 0; i < 500; i++) {
      let total = bias;
      for (let f = 0; f < 4; f++) total += contributions[i * 4 + f];
      expect(total).toBeCloseTo(probabilities[i], 12);
    }
  });

  it("is at least as accurate as ml-random-forest on the same split", () => {
    const random = mulberry32(3);
    const rows = Array.from({length: 600}, () => Array.from({length: 5}, () => gaussian(random)));
    const labels = rows.map((x) => Number(x[0] + 0.8 * x[1] * x[2] + 0.7 * gaussian(random) > 0));
    const reference = new RandomForestClassifier({seed: 3, nEstimators: 30, maxFeatures: 2, replacement: true, treeOptions: {maxDepth: 8}});
    reference.train(rows.slice(0, 400), labels.slice(0, 400));
    const referenceAccuracy = (reference.predict(rows.slice(400)) as number[]).filter((label, i) => label === labels[400 + i]).length / 200;
    const columns = [0, 1, 2, 3, 4].map((f) => Float64Array.from(rows, (row) => row[f]));
    const forest = fitForest(slice(columns, 0, 400), labels.slice(0, 400), {trees: 30, maxFeatures: 2, maxDepth: 8, minSamplesLeaf: 1, seed: 3});
    const predicted = predictForest(forest, slice(columns, 400, 600));
    const accuracy = labels.slice(400).filter((label, i) => Number(predicted[i] >= 0.5) === label).length / 200;
    expect(referenceAccuracy).toBeGreaterThan(0.65);
    expect(accuracy).toBeGreaterThanOrEqual(referenceAccuracy - 0.02);
  });

  it("rejects bad options and data with the value", () => {
    expect(() => fitForest([[1, 2]], [0, 2])).toThrow("invalid label at 1; expected 0 or 1: 2");
    expect(() => fitForest([[1, 2]], [0, 1], {trees: 0})).toThrow("invalid trees; not a positive integer: 0");
    expect(() => fitForest([[1, 2]], [0, 1], {maxFeatures: 3})).toThrow('invalid maxFeatures; not "sqrt" or an integer from 1 to 1: 3');
  });
});
