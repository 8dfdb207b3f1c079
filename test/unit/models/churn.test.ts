import {describe, expect, it} from "vitest";
import {CHURN_FEATURES} from "../../../models/churn/features.js";
import {fitChurn} from "../../../models/churn/fit.js";
import {churnModel} from "../../../models/churn/index.js";
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
  const training = {customerIds: data.ids, columns: data.columns, labels: data.labels, cutoff: "2011-01-01"};
  const scoring = {
    customerIds: data.ids.slice(0, 200),
    countries: data.ids.slice(0, 200).map(() => "United Kingdom"),
    columns: data.columns.map((column) => column.slice(0, 200)),
    expectedSpend: data.spend.slice(0, 200),
    asOf: "2011-04-01"
  };
  const {artefact, evaluation: result} = fitChurn(training, {seed: 3, trees: 60});
  const scored = churnModel.score(artefact, scoring);

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
    expect(new Set(scored.importance.slice(0, 2).map((row) => row.feature))).toEqual(new Set(["recency_days", "order_rate"]));
    expect(scored.importance.map((row) => row.importance_rank)).toEqual(CHURN_FEATURES.map((_, i) => i + 1));
  });

  it("scores customers with levels, factors and value at risk", () => {
    expect(scored.scores).toHaveLength(200);
    for (const score of scored.scores) {
      expect(score.risk_level).toBe(riskLevel(score.churn_probability));
      expect(score.value_at_risk).toBeCloseTo(score.churn_probability * score.expected_spend_90d, 12);
      expect(score.as_of).toBe("2011-04-01");
      const contributions = [...score.top_factors.matchAll(/\(\+([0-9.]+)\)/g)].map((match) => Number(match[1]));
      expect(contributions.length).toBeLessThanOrEqual(3);
      contributions.forEach((value, i) => (expect(value).toBeGreaterThanOrEqual(0), i > 0 && expect(value).toBeLessThanOrEqual(contributions[i - 1])));
    }
    expect(new Set(scored.scores.map((score) => score.value_at_risk_rank)).size).toBe(200);
    const first = scored.scores.find((score) => score.value_at_risk_rank === 1)!;
    expect(first.value_at_risk).toBe(Math.max(...scored.scores.map((score) => score.value_at_risk)));
    // The long-gone, rarely-ordering customers are the risky ones.
    const risky = scored.scores.filter((score) => score.risk_level === "High").map((score) => score.top_factors.split(" = ")[0]);
    expect(risky.filter((label) => label === "Days since last purchase" || label === "Orders per 30 days of tenure").length).toBeGreaterThan(
      0.8 * risky.length
    );
    expect(scored.metrics).toMatchObject([
      {metric: "scored_customers", value: 200, split: "scoring: every customer, features as of 2011-04-01 (no labels yet)"}
    ]);
  });

  it("chooses the threshold without the hold-out and is deterministic", () => {
    expect(result.confusion.truePositives + result.confusion.falseNegatives).toBe(result.split.holdoutChurned);
    expect(fitChurn(training, {seed: 3, trees: 60})).toEqual({artefact, evaluation: result});
  });

  it("keeps the forest's trees as typed arrays, and the artefact survives structured cloning", () => {
    expect(artefact.forest.roots).toBeInstanceOf(Int32Array);
    expect(artefact.forest.roots).toHaveLength(60);
    expect(artefact.forest.threshold).toBeInstanceOf(Float64Array);
    expect(churnModel.score(structuredClone(artefact), scoring)).toEqual(scored);
  });

  it("builds the model card: the published hold-out, the repeats and the confusion matrix", () => {
    const {metrics} = churnModel.fit(training, {seed: 3, trees: 60});
    const row = (method: string, metric: string) => metrics.find((r) => r.method === method && r.metric === metric && r.split.startsWith("holdout"))!;
    expect(row("random_forest", "roc_auc").value).toBe(result.evaluations[0].rocAuc);
    expect(row("random_forest", "roc_auc").split).toContain("before the cut-off 2011-01-01");
    const counts = ["true_positives", "false_positives", "true_negatives", "false_negatives"].map((name) => row("random_forest", name).value!);
    expect(counts.reduce((sum, value) => sum + value, 0)).toBe(450);
    expect(metrics.filter((r) => r.split.startsWith("repeated")).map((r) => `${r.method}:${r.metric}`)).toEqual(
      ["random_forest", "logistic_regression", "recency_only"].flatMap((method) => [`${method}:roc_auc`, `${method}:pr_auc`])
    );
  });

  it("fits on a stratified sample of the training customers above maxTrainingCustomers, never sampling the hold-out", () => {
    expect(result.split.trainAvailable).toBe(1050);
    const sampled = fitChurn(training, {seed: 3, trees: 60, maxTrainingCustomers: 400}).evaluation;
    expect(sampled.split).toMatchObject({trainCustomers: 400, trainAvailable: 1050, holdoutCustomers: 450, holdoutChurned: result.split.holdoutChurned});
    // The churn rate of the sample is the training part's, to rounding in each class.
    const rate = (churned: number, n: number) => churned / n;
    expect(Math.abs(rate(sampled.split.trainChurned, 400) - rate(result.split.trainChurned, 1050))).toBeLessThan(0.005);
    const auc = (fit: typeof result, method: string) => fit.evaluations.find((evaluation) => evaluation.method === method)!.rocAuc;
    expect(auc(sampled, "random_forest")).toBeGreaterThan(auc(sampled, "recency_only") + 0.05);
    expect(fitChurn(training, {seed: 3, trees: 60, maxTrainingCustomers: 400}).evaluation).toEqual(sampled);
  });

  it("refuses features that are not numbers, naming them", () => {
    const broken = data.columns.map((column) => column.slice());
    broken[2][5] = Number.NaN;
    expect(() => fitChurn({...training, columns: broken})).toThrow("training feature monetary of case 5 is not a finite number: NaN");
    expect(() => churnModel.score(artefact, {...scoring, columns: broken.map((column) => column.slice(0, 200))})).toThrow(
      "scoring feature monetary of case 5 is not a finite number: NaN"
    );
  });
});

describe("churn options", () => {
  it("fills the defaults and refuses bad or unknown options, showing the value", () => {
    expect(churnModel.options()).toEqual(churnModel.defaults);
    expect(churnModel.options({trees: 10}).trees).toBe(10);
    expect(() => churnModel.options({trees: 0})).toThrow("invalid trees; not a positive integer: 0");
    expect(() => churnModel.options({maxTrainingCustomers: 1})).toThrow("invalid maxTrainingCustomers; not an integer of at least 2: 1");
    expect(() => churnModel.options({holdoutShare: 1})).toThrow("invalid holdoutShare; not a number strictly between 0 and 1: 1");
    expect(() => churnModel.options({highRisk: 0.3})).toThrow("invalid mediumRisk; not below highRisk (0.3): 0.35");
    expect(() => churnModel.options({tree: 5} as never)).toThrow("invalid churn option; unknown: tree (options: seed, holdoutShare");
  });
});
