/**
 * The customer model pages' pure logic: customer ids, the churn verdict from model_metrics rows, the
 * at-risk filters (in JavaScript and as DuckDB SQL, which must agree), list filters in the URL, and the
 * churn factors' wording.
 */
import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {atRiskQuery, atRiskRows, filterAtRisk, type AtRiskFilters} from "../../src/components/at-risk.js";
import {churnEvaluation, churnVerdict, formatAuc} from "../../src/components/churn-evaluation.js";
import {formatChange, parseTopFactors} from "../../src/components/churn-factors.js";
import {customerHref, parseCustomerId, unknownCustomerMessage} from "../../src/components/customer-id.js";
import {findMetric, plainName, roleLabel, type MetricRow} from "../../src/components/model-metrics.js";
import {getListParam, setListParam} from "../../src/components/url-list.js";
import {probabilityBins, riskSummary, valueAtRiskBySegment} from "../../src/components/churn-summary.js";
import {notFittedReason} from "../../src/components/not-fitted.js";
import {RISK_LEVELS, RISK_THRESHOLDS, riskLevelOf, riskLevelRule, riskLevelsText} from "../../src/components/risk-levels.js";
import {RISK_THRESHOLDS as MODEL_THRESHOLDS, riskLevel} from "../../models/churn/risk.js";

describe("customer ids", () => {
  it("accepts whole numbers, with spaces or the raw data's trailing .0", () => {
    expect(parseCustomerId("12347")).toEqual({ok: true, id: 12347});
    expect(parseCustomerId("  17850.0 ")).toEqual({ok: true, id: 17850});
  });

  it("refuses anything else, naming the text", () => {
    for (const text of ["abc", "12.5", "-12", "1e4", "", "12347; DROP TABLE sales"]) {
      const parsed = parseCustomerId(text);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.error).toContain(JSON.stringify(text.trim()));
    }
  });

  it("explains an unknown id with the range and the nearest known ids", () => {
    const message = unknownCustomerMessage(12350, [12346, 12347, 12348, 12352, 18287]);
    expect(message).toMatch(/^No customer 12350 in the data: /);
    expect(message).toContain("ids run from 12346 to 18287");
    expect(message).toContain("Nearest ids: 12347, 12348, 12352.");
  });

  it("links to the lookup page with the id in the URL", () => {
    expect(customerHref(12347)).toBe("./customer?id=12347");
  });
});

/** model_metrics rows for the churn model as the pipeline writes them (values of the shipped data). */
function churnMetrics({forestHoldout = 0.735, forestMean = 0.7504, baselineHoldout = 0.664, baselineMean = 0.68} = {}): MetricRow[] {
  const holdout = "holdout: 1011 customers (30%, stratified) of those active before the cut-off 2011-09-10; 435 churned";
  const repeated = "repeated holdout: 5 stratified 30% hold-outs (seeds 42–46, the published one first), every method refitted on each; mean";
  const row = (method: string, metric: string, value: number, split = holdout, details = ""): MetricRow => ({
    model: "churn",
    method,
    role: method === "random_forest" ? "published" : method === "recency_only" ? "baseline" : "candidate",
    metric,
    split,
    value,
    n: 1011,
    details
  });
  const scores = (method: string, roc: number, mean: number) => [
    row(method, "roc_auc", roc),
    row(method, "roc_auc", mean, repeated, "sd 0.010"),
    row(method, "pr_auc", 0.63),
    row(method, "pr_auc", 0.64, repeated),
    row(method, "brier_score", 0.2),
    row(method, "log_loss", 0.59)
  ];
  return [
    ...scores("random_forest", forestHoldout, forestMean),
    ...scores("logistic_regression", 0.733, 0.744),
    ...scores("recency_only", baselineHoldout, baselineMean),
    row("random_forest", "oob_roc_auc", 0.753, "out-of-bag: 2357 training customers"),
    row("random_forest", "threshold", 0.33, holdout, "chosen on out-of-bag predictions"),
    row("random_forest", "churn_rate", 0.43),
    row("random_forest", "true_positives", 370),
    row("random_forest", "false_positives", 301),
    row("random_forest", "false_negatives", 65),
    row("random_forest", "true_negatives", 275),
    row("random_forest", "precision", 0.551),
    row("random_forest", "recall", 0.851),
    row("random_forest", "f1", 0.669),
    row("random_forest", "accuracy", 0.638),
    {...row("x", "roc_auc", 0.9), model: "segmentation"}
  ];
}

describe("the churn model card", () => {
  it("gathers the hold-out, the repeated hold-outs and the confusion matrix", () => {
    const evaluation = churnEvaluation(churnMetrics());
    expect(evaluation.repeats).toBe(5);
    expect(evaluation.holdoutCustomers).toBe(1011);
    expect(evaluation.methods.random_forest.rocAuc).toBe(0.735);
    expect(evaluation.methods.random_forest.meanRocAuc).toBe(0.7504);
    expect(evaluation.methods.recency_only.meanRocAuc).toBe(0.68);
    expect(evaluation.confusion).toEqual({truePositives: 370, falsePositives: 301, falseNegatives: 65, trueNegatives: 275});
  });

  it("says plainly what the shipped numbers mean: beats the baseline, meets the bar on average only", () => {
    const verdict = churnVerdict(churnEvaluation(churnMetrics()));
    expect(verdict).toMatchObject({beatsBaselineOnHoldout: true, beatsBaselineOnAverage: true, meetsBarOnHoldout: false, meetsBarOnAverage: true});
    expect(verdict.baseline).toBe(
      "The random forest beats the recency-only baseline: ROC-AUC 0.735 against 0.664 on the main hold-out (+0.071), and 0.750 against 0.680 on the average of 5 hold-outs (+0.070)."
    );
    expect(verdict.bar).toBe(
      "The 0.75 ROC-AUC target is met on average but not on the main hold-out: 0.750 on the average of 5 hold-outs, but 0.735 on the main hold-out."
    );
  });

  it("says so when the model misses the bar everywhere, or loses to the baseline", () => {
    const verdict = churnVerdict(churnEvaluation(churnMetrics({forestHoldout: 0.66, forestMean: 0.7496, baselineHoldout: 0.67})));
    expect(verdict).toMatchObject({beatsBaselineOnHoldout: false, meetsBarOnHoldout: false, meetsBarOnAverage: false});
    expect(verdict.baseline).toMatch(/^The random forest does not reliably beat the recency-only baseline/);
    // 0.7496 must not be shown as 0.750 next to "not met".
    expect(verdict.bar).toBe("The 0.75 ROC-AUC target is not met: 0.660 on the main hold-out and 0.7496 on the average of 5 hold-outs.");
    expect(formatAuc(0.7504)).toBe("0.750");
  });

  it("names the missing metric and what exists when model_metrics lacks a row", () => {
    const rows = churnMetrics().filter((row) => row.metric !== "threshold");
    expect(() => churnEvaluation(rows)).toThrow(
      /model_metrics has no row for \{"model":"churn","method":"random_forest","metric":"threshold"\}; the churn rows are: .*random_forest\/roc_auc/
    );
    expect(() => findMetric(churnMetrics(), {model: "churn", method: "random_forest", metric: "roc_auc"})).toThrow(/2 rows .*name the split/);
  });
});

describe("at-risk customers", () => {
  const scores = {
    value_at_risk_rank: [3, 1, 2, 4],
    customer_id: [10, 40, 20, 30],
    country: ["France", "United Kingdom", "France", "EIRE"],
    risk_level: ["Low", "High", "Medium", "High"],
    churn_probability: [0.2, 0.7, 0.5, 0.9],
    value_at_risk: [20, 700, 50, 9],
    expected_spend_90d: [100, 1000, 100, 10],
    recency_days: [5, 200, 60, 300],
    frequency: [9, 2, 3, 1],
    monetary: [900, 2000, 300, 10],
    top_factors: ["Days since last purchase = 5 (+0.010)", "", "x = 1 (+0.020)", '=HYPERLINK("x")']
  };
  const rfm = {customer_id: [40, 20, 10, 30], segment: ["At risk", "Loyal", "Champions", "Hibernating"]};
  const kmeans = {customer_id: [40, 20, 10, 30], segment: ["Lapsed low value", "Mid value regulars", "High value loyal", "Lapsed low value"]};
  const rows = atRiskRows(scores, rfm, kmeans);
  const none: AtRiskFilters = {countries: [], segments: [], kmeans: [], risks: []};

  it("joins each customer's segments and orders by value at risk", () => {
    expect(rows.map((row) => [row.value_at_risk_rank, row.customer_id, row.rfm_segment, row.kmeans_segment])).toEqual([
      [1, 40, "At risk", "Lapsed low value"],
      [2, 20, "Loyal", "Mid value regulars"],
      [3, 10, "Champions", "High value loyal"],
      [4, 30, "Hibernating", "Lapsed low value"]
    ]);
  });

  it("filters in JavaScript exactly as the download's SQL does in DuckDB", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const values = (columns: Record<string, readonly unknown[]>, i: number) => Object.values(columns).map((column) => column[i]);
      await connection.run(`CREATE TABLE churn_scores (value_at_risk_rank BIGINT, customer_id INTEGER, country VARCHAR, risk_level VARCHAR, churn_probability DOUBLE,
        value_at_risk DOUBLE, expected_spend_90d DOUBLE, recency_days INTEGER, frequency BIGINT, monetary DOUBLE, top_factors VARCHAR)`);
      for (let i = 0; i < 4; i++) await connection.run("INSERT INTO churn_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values(scores, i) as never);
      await connection.run(
        "CREATE TABLE rfm_segments AS SELECT unnest([40, 20, 10, 30]) AS customer_id, unnest(['At risk', 'Loyal', 'Champions', 'Hibernating']) AS segment"
      );
      await connection.run(
        "CREATE TABLE customer_segments AS SELECT unnest([40, 20, 10, 30]) AS customer_id, unnest(['Lapsed low value', 'Mid value regulars', 'High value loyal', 'Lapsed low value']) AS segment"
      );
      const cases: AtRiskFilters[] = [
        none,
        {...none, countries: ["France"]},
        {...none, countries: ["France", "EIRE"], risks: ["High", "Medium"]},
        {...none, segments: ["At risk", "Hibernating"], kmeans: ["Lapsed low value"]},
        {...none, countries: ["Nowhere"]},
        {countries: ["France"], segments: ["Loyal"], kmeans: ["Mid value regulars"], risks: ["Medium"]}
      ];
      for (const filters of cases) {
        const {text, params} = atRiskQuery(filters);
        const fromSql = await queryRows<Record<string, unknown>>(connection, text, params as never);
        expect(fromSql, JSON.stringify(filters)).toEqual(filterAtRisk(rows, filters));
      }
      expect(filterAtRisk(rows, {...none, countries: ["France"]}).map((row) => row.customer_id)).toEqual([20, 10]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("binds filter values as parameters, never as SQL text", () => {
    const evil = "x') OR TRUE --";
    const {text, params} = atRiskQuery({...none, countries: [evil]});
    expect(text).not.toContain(evil);
    expect(text).toContain("c.country IN (?)");
    expect(params).toEqual([evil]);
  });
});

describe("list filters in the URL", () => {
  const options = ["Champions", "At risk", "Can't lose"];

  it("reads known values in the options' order, dropping unknown ones and repeats", () => {
    expect(getListParam("?segment=Can%27t+lose&segment=Nope&segment=Champions&segment=Champions&id=3", "segment", options)).toEqual([
      "Champions",
      "Can't lose"
    ]);
    expect(getListParam("", "segment", options)).toEqual([]);
  });

  it("writes values, keeping other parameters, and removes the parameter when empty", () => {
    const search = setListParam("?country=France&segment=Champions", "segment", ["At risk", "Can't lose"]);
    expect(search).toBe("?country=France&segment=At+risk&segment=Can%27t+lose");
    expect(getListParam(search, "segment", options)).toEqual(["At risk", "Can't lose"]);
    expect(setListParam(search, "segment", [])).toBe("?country=France");
    expect(setListParam("?segment=At+risk", "segment", [])).toBe("");
  });
});

describe("churn factors", () => {
  it("reads the pipeline's wording: label, value and the change in probability", () => {
    expect(
      parseTopFactors(
        "Days since last purchase = 183 (+0.035); Returns ÷ gross spend = 0 (+0.019); Spend trend, last 90 days vs the 90 before (−1…1) = -0.5 (+0.004)"
      )
    ).toEqual([
      {label: "Days since last purchase", value: "183", change: 0.035},
      {label: "Returns ÷ gross spend", value: "0", change: 0.019},
      {label: "Spend trend, last 90 days vs the 90 before (−1…1)", value: "-0.5", change: 0.004}
    ]);
    expect(parseTopFactors("")).toEqual([]);
    expect(parseTopFactors(null)).toEqual([]);
    expect(parseTopFactors("something else")).toEqual([{label: "something else", value: "", change: null}]);
    expect([formatChange(0.035), formatChange(-0.0123), formatChange(null)]).toEqual(["+3.5 pts", "−1.2 pts", ""]);
  });
});

describe("risk levels (one definition for Churn, Action items and the lookup)", () => {
  it("are the pipeline's: the same thresholds and the same level for every probability", () => {
    expect(RISK_THRESHOLDS).toEqual(MODEL_THRESHOLDS);
    for (let i = 0; i <= 1000; i++) expect(riskLevelOf(i / 1000), String(i / 1000)).toBe(riskLevel(i / 1000));
    expect([riskLevelOf(0.3499), riskLevelOf(0.35), riskLevelOf(0.5999), riskLevelOf(0.6)]).toEqual(["Low", "Medium", "Medium", "High"]);
  });

  it("say their rule in words", () => {
    expect(RISK_LEVELS).toEqual(["High", "Medium", "Low"]);
    expect(riskLevelRule("Medium")).toBe("35% to 60%");
    expect(riskLevelsText()).toBe("Risk level from the probability of no purchase in the next 90 days: High 60% or more, Medium 35% to 60%, Low below 35%.");
  });
});

describe("the churn answer", () => {
  const rows = [
    {customer_id: 1, risk_level: "High", churn_probability: 0.9, value_at_risk: 100, rfm_segment: "At risk"},
    {customer_id: 2, risk_level: "High", churn_probability: 0.6, value_at_risk: 50, rfm_segment: "Hibernating"},
    {customer_id: 3, risk_level: "Medium", churn_probability: 0.35, value_at_risk: 30, rfm_segment: "At risk"},
    {customer_id: 4, risk_level: "Low", churn_probability: 0.1, value_at_risk: 5, rfm_segment: "Champions"},
    {customer_id: 5, risk_level: "Low", churn_probability: 1 / 3, value_at_risk: 2, rfm_segment: null}
  ];

  it("counts customers and value at risk per level, High first", () => {
    expect(riskSummary(rows)).toEqual([
      {level: "High", customers: 2, valueAtRisk: 150},
      {level: "Medium", customers: 1, valueAtRisk: 30},
      {level: "Low", customers: 2, valueAtRisk: 7}
    ]);
    expect(riskSummary([]).map((entry) => entry.customers)).toEqual([0, 0, 0]);
  });

  it("bins probabilities in 5-point steps, 1 in the last bin, each bin with its level", () => {
    const bins = probabilityBins([...rows, {risk_level: "High", churn_probability: 1, value_at_risk: 0}], riskLevelOf);
    expect(bins).toHaveLength(20);
    const counts = Object.fromEntries(bins.filter((bin) => bin.customers > 0).map((bin) => [bin.from, bin.customers]));
    // 0.35 and 0.6 fall in the bins that start there (their level's first bin), 1/3 in 0.30–0.35.
    expect(counts).toEqual({0.1: 1, 0.3: 1, 0.35: 1, 0.6: 1, 0.9: 1, 0.95: 1});
    expect(bins.find((bin) => bin.from === 0.3)!.level).toBe("Low");
    expect(bins.find((bin) => bin.from === 0.35)!.level).toBe("Medium");
    expect(bins.find((bin) => bin.from === 0.6)!.level).toBe("High");
  });

  it("sums value at risk by segment and level, the segment with most at stake first", () => {
    expect(valueAtRiskBySegment(rows, "rfm_segment")).toEqual([
      {segment: "At risk", level: "High", customers: 1, valueAtRisk: 100},
      {segment: "At risk", level: "Medium", customers: 1, valueAtRisk: 30},
      {segment: "Hibernating", level: "High", customers: 1, valueAtRisk: 50},
      {segment: "Champions", level: "Low", customers: 1, valueAtRisk: 5},
      {segment: "No segment", level: "Low", customers: 1, valueAtRisk: 2}
    ]);
  });
});

describe("a model that could not be fitted", () => {
  const row = (model: string, metric: string, details: string | null) => ({
    model,
    method: "none",
    role: "published",
    metric,
    split: "none",
    value: null,
    n: 0,
    details
  });

  it("gives the reason from its not_fitted row, and null for a fitted model", () => {
    const metrics = [
      row("churn", "not_fitted", "Only 1 day of sales: churn needs 90 days after a cut-off."),
      row("churn", "roc_auc", null),
      row("forecast", "mape", null)
    ];
    expect(notFittedReason("churn", metrics)).toBe("Only 1 day of sales: churn needs 90 days after a cut-off.");
    expect(notFittedReason("forecast", metrics)).toBeNull();
    expect(notFittedReason("basket", [])).toBeNull();
  });

  it("joins the distinct reasons of several rows, and says when none was recorded", () => {
    const metrics = [
      row("forecast", "not_fitted", "No complete week. "),
      row("forecast", "not_fitted", "No complete week."),
      row("forecast", "not_fitted", "No complete month.")
    ];
    expect(notFittedReason("forecast", metrics)).toBe("No complete week. No complete month.");
    expect(notFittedReason("anomalies", [row("anomalies", "not_fitted", null)])).toBe("No reason was recorded.");
    // Another model's row does not count.
    expect(notFittedReason("rfm", [row("segmentation", "not_fitted", "x")])).toBeNull();
  });
});

describe("plain words for the evaluation rows", () => {
  it("names metrics, methods and roles as people say them", () => {
    expect(plainName("roc_auc")).toBe("ROC-AUC");
    expect(plainName("true_positives")).toBe("true positives");
    expect(plainName("blend:buy_again")).toBe("blend: buy again");
    expect(plainName("recency_only")).toBe("recency alone");
    expect([roleLabel("published"), roleLabel("candidate"), roleLabel("baseline"), roleLabel("other")]).toEqual([
      "used on the site",
      "tried, not used",
      "simple comparison",
      "other"
    ]);
  });
});

describe("which fit a model page shows", async () => {
  const {fitStatement} = await import("../../src/components/not-fitted.js");
  it("says the fit's last day and the scores' day, in en-GB dates", () => {
    const rows = [
      {model: "basket", metric: "rules_mined", details: "", fitted_through: "2011-12-04", scored_as_of: new Date(Date.UTC(2011, 11, 9))},
      {model: "rfm", metric: "roc_auc", details: "", fitted_through: "2011-12-09", scored_as_of: "2011-12-09"},
      {model: "churn", metric: "not_fitted", details: "Not enough history.", fitted_through: null, scored_as_of: "2011-12-09"}
    ];
    expect(fitStatement("basket", rows)).toBe("Fitted and evaluated on data through 4 Dec 2011; scores as of 9 Dec 2011.");
    expect(fitStatement("rfm", rows)).toBe("Fitted and evaluated on all the data, through 9 Dec 2011; refitted on every run.");
    expect(fitStatement("churn", rows)).toBeNull();
    expect(fitStatement("forecast", rows)).toBeNull();
  });
});
