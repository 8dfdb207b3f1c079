import {describe, expect, it} from "vitest";
import {CHURN_FEATURES} from "../../../models/churn/features.js";
import {fitChurn} from "../../../models/churn/fit.js";
import {RISK_THRESHOLDS, riskLevel} from "../../../models/churn/risk.js";
import {stratifiedSplit} from "../../../models/churn/split.js";
import {gaussian, mulberry32, sigmoidOf} from "./helpers.js";

describe("stratified split", () => {
  it("holds out the share of each class, disjointly and reproducibly", () => {
    const labels = Array.from({length: 100}, (_, i) => Number(i < 40));
    const {train, holdout} = stratifiedSplit(labels, 0.3, 7);
    expect(holdout.length).toBe(30);
    expect(holdout.filter((i) => labels[i] === 1).length).toBe(12);
    expect(new Set([...train, ...holdout]).size).toBe(100);
    expect(stratifiedSplit(labels, 0.3, 7)).toEqual({train, holdout});
    expect(stratifiedSplit(labels, 0.3, 8).holdout).not.toEqual(holdout);
    expect(() => stratifiedSplit(labels, 1, 7)).toThrow("invalid hold-out share; not between 0 and 1: 1");
  });
});

describe("risk levels", () => {
  it("follows the documented thresholds", () => {
    expect([0.8, RISK_THRESHOLDS.high, 0.59, RISK_THRESHOLDS.medium, 0.1].map((p) => riskLevel(p))).toEqual(["High", "High", "Medium", "Medium", "Low"]);
    expect(() => riskLevel(1.5)).toThrow("invalid probability; not in [0, 1]: 1.5");
  });
});

/** Customers whose churn depends on recency and, beyond it, on order rate: what recency alone cannot see. */
function customers(n: number, seed: number) {
  const random = mulberry32(seed);
  const columns = CHURN_FEATURES.map(() => new Float64Array(n));
  const at = (name: string) => columns[CHURN_FEATURES.findIndex((feature) => feature.name === name)];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const recency = Math.round(200 * random()) + 1;
    const rate = Math.exp(gaussian(random));
    for (const column of columns) column[i] = random();
    at("recency_days")[i] = recency;
    at("order_rate")[i] = rate;
    labels.push(Number(random() < sigmoidOf(recency / 40 - 2 * Math.log(rate) - 2.5)));
  }
  return {columns, labels, ids: Array.from({length: n}, (_, i) => 1000 + i), spend: Float64Array.from({length: n}, (_, i) => 10 * i)};
}

describe("fitChurn", () => {
  const data = customers(1500, 1);
  const training = {customerIds: data.ids, columns: data.columns, labels: data.labels};
  const scoring = {customerIds: data.ids.slice(0, 200), columns: data.columns.map((column) => column.slice(0, 200)), expectedSpend: data.spend.slice(0, 200)};
  const result = fitChurn(training, scoring, {seed: 3, forest: {trees: 60}});

  it("evaluates every method on the same stratified hold-out, and the forest beats recency alone", () => {
    expect(result.split).toMatchObject({trainCustomers: 1050, holdoutCustomers: 450});
    const auc = Object.fromEntries(result.evaluations.map((evaluation) => [evaluation.method, evaluation.rocAuc]));
    expect(auc.random_forest).toBeGreaterThan(auc.recency_only + 0.05);
    expect(auc.logistic_regression).toBeGreaterThan(auc.recency_only + 0.05);
    expect(result.evaluations.map((evaluation) => evaluation.role)).toEqual(["published", "candidate", "baseline"]);
    expect(result.repeated.map((repeated) => repeated.seeds)).toEqual([
      [3, 4, 5, 6, 7],
      [3, 4, 5, 6, 7],
      [3, 4, 5, 6, 7]
    ]);
    expect(result.repeated[0].rocAuc[0]).toBe(auc.random_forest);
  });

  it("ranks the planted features first", () => {
    const ranked = [...result.importance].sort((a, b) => b.heldOutContribution - a.heldOutContribution).map((row) => row.feature);
    expect(new Set(ranked.slice(0, 2))).toEqual(new Set(["recency_days", "order_rate"]));
  });

  it("scores customers with levels, factors and value at risk", () => {
    expect(result.scores).toHaveLength(200);
    for (const score of result.scores) {
      expect(score.risk).toBe(riskLevel(score.probability));
      expect(score.valueAtRisk).toBeCloseTo(score.probability * score.expectedSpend, 12);
      expect(score.factors.length).toBeLessThanOrEqual(3);
      score.factors.forEach((factor, i) => {
        expect(factor.contribution).toBeGreaterThan(0);
        if (i > 0) expect(factor.contribution).toBeLessThanOrEqual(score.factors[i - 1].contribution);
      });
    }
    // The long-gone, rarely-ordering customers are the risky ones.
    const risky = result.scores.filter((score) => score.risk === "High").map((score) => score.factors[0]?.feature);
    expect(risky.filter((feature) => feature === "recency_days" || feature === "order_rate").length).toBeGreaterThan(0.8 * risky.length);
  });

  it("chooses the threshold without the hold-out and is deterministic", () => {
    expect(result.confusion.truePositives + result.confusion.falseNegatives).toBe(result.split.holdoutChurned);
    expect(fitChurn(training, scoring, {seed: 3, forest: {trees: 60}})).toEqual(result);
  });

  it("fits on a stratified sample of the training customers above maxTrainingCustomers, never sampling the hold-out", () => {
    expect(result.split.trainAvailable).toBe(1050);
    const sampled = fitChurn(training, scoring, {seed: 3, forest: {trees: 60}, maxTrainingCustomers: 400});
    expect(sampled.split).toMatchObject({trainCustomers: 400, trainAvailable: 1050, holdoutCustomers: 450, holdoutChurned: result.split.holdoutChurned});
    // The churn rate of the sample is the training part's, to rounding in each class.
    const rate = (churned: number, n: number) => churned / n;
    expect(Math.abs(rate(sampled.split.trainChurned, 400) - rate(result.split.trainChurned, 1050))).toBeLessThan(0.005);
    const auc = (fit: typeof result, method: string) => fit.evaluations.find((evaluation) => evaluation.method === method)!.rocAuc;
    expect(auc(sampled, "random_forest")).toBeGreaterThan(auc(sampled, "recency_only") + 0.05);
    expect(fitChurn(training, scoring, {seed: 3, forest: {trees: 60}, maxTrainingCustomers: 400})).toEqual(sampled);
    expect(() => fitChurn(training, scoring, {maxTrainingCustomers: 0})).toThrow("invalid maxTrainingCustomers; not an integer of at least 2: 0");
  });

  it("refuses features that are not numbers, naming them", () => {
    const broken = data.columns.map((column) => column.slice());
    broken[2][5] = Number.NaN;
    expect(() => fitChurn({...training, columns: broken}, scoring)).toThrow("training feature monetary of case 5 is not a finite number: NaN");
  });
});
