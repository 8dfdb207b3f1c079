import {describe, expect, it} from "vitest";
import {brierScore, logLoss, reliabilityCurve} from "../../../models/metrics/calibration.js";
import {bestF1Threshold, confusionAt} from "../../../models/metrics/confusion.js";
import {averagePrecision, precisionRecallCurve} from "../../../models/metrics/precision-recall.js";
import {rocAuc, rocCurve} from "../../../models/metrics/roc.js";

// scikit-learn's documentation example: roc_auc_score = 0.75, average_precision_score = 0.8333…
const scores = [0.1, 0.4, 0.35, 0.8];
const labels = [0, 0, 1, 1];

describe("ROC", () => {
  it("matches hand-computed areas, counting ties one half", () => {
    expect(rocAuc(scores, labels)).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.9, 0.8, 0.7, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2], [1, 0])).toBe(0);
    // One positive tied with one of two negatives: pairs (p, n1) win, (p, n2) tie → (1 + 0.5) / 2.
    expect(rocAuc([0.5, 0.5, 0.2], [1, 0, 0])).toBe(0.75);
    expect(rocAuc([1, 1, 1, 1], [1, 0, 1, 0])).toBe(0.5);
  });

  it("traces the curve through every distinct threshold", () => {
    expect(rocCurve(scores, labels).map(({falsePositiveRate, truePositiveRate}) => [falsePositiveRate, truePositiveRate])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1]
    ]);
  });

  it("refuses one-class data and bad labels with the value", () => {
    expect(() => rocAuc([0.1, 0.2], [1, 1])).toThrow("ROC-AUC needs both classes; got 2 positives and 0 negatives");
    expect(() => rocAuc([0.1, 0.2], [1, 2])).toThrow("invalid label at 1; expected 0 or 1: 2");
  });
});

describe("precision–recall", () => {
  it("computes average precision as the step-wise area", () => {
    // Thresholds 0.8 (R 0.5, P 1), 0.4 (R 0.5, P 0.5), 0.35 (R 1, P 2/3), 0.1 (R 1, P 0.5).
    expect(precisionRecallCurve(scores, labels).map(({recall, precision}) => [recall, precision])).toEqual([
      [0.5, 1],
      [0.5, 0.5],
      [1, 2 / 3],
      [1, 0.5]
    ]);
    expect(averagePrecision(scores, labels)).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12);
    expect(averagePrecision([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
  });
});

describe("calibration and thresholds", () => {
  it("bins probabilities into a reliability curve", () => {
    const curve = reliabilityCurve([0.05, 0.15, 0.12, 0.95, 1], [0, 1, 0, 1, 1], 2);
    expect(curve).toEqual([
      {lower: 0, upper: 0.5, count: 3, meanPredicted: (0.05 + 0.15 + 0.12) / 3, observedRate: 1 / 3},
      {lower: 0.5, upper: 1, count: 2, meanPredicted: 0.975, observedRate: 1}
    ]);
    expect(() => reliabilityCurve([1.2], [1])).toThrow("invalid probability at 0; not in [0, 1]: 1.2");
  });

  it("scores probabilities", () => {
    expect(brierScore([0.5, 0.5], [0, 1])).toBe(0.25);
    expect(logLoss([0.5, 0.5], [0, 1])).toBeCloseTo(Math.LN2, 12);
  });

  it("counts the confusion matrix and picks the F1-best threshold", () => {
    expect(confusionAt(scores, labels, 0.35)).toEqual({
      threshold: 0.35,
      truePositives: 2,
      falsePositives: 1,
      trueNegatives: 1,
      falseNegatives: 0,
      precision: 2 / 3,
      recall: 1,
      f1: 0.8,
      accuracy: 0.75
    });
    // F1 by threshold: 0.8 → 2/3, 0.4 → 0.5, 0.35 → 0.8, 0.1 → 2/3.
    expect(bestF1Threshold(scores, labels)).toBe(0.35);
  });
});
