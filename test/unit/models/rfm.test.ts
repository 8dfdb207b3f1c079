import {describe, expect, it} from "vitest";
import {scoreRfm} from "../../../models/rfm/rfm.js";
import {quantileScores} from "../../../models/rfm/scores.js";
import {RFM_SEGMENTS, rfmSegment} from "../../../models/rfm/segments.js";
import {fitBreakpoints, scoreValue} from "../../../models/rfm/breakpoints.js";
import {rfmModel} from "../../../models/rfm/index.js";

describe("quantile scores", () => {
  it("gives each fifth of distinct values one score", () => {
    expect(Array.from(quantileScores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], "higher"))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(Array.from(quantileScores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], "lower"))).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it("gives tied values one score, from the share of customers strictly worse", () => {
    // Six customers bought once (none worse → 1), then 2 orders (6 of 10 worse → 1 + ⌊3⌋ = 4), 3, 5 and 9 orders.
    expect(Array.from(quantileScores([1, 1, 1, 1, 1, 1, 2, 3, 5, 9], "higher"))).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    // With three customers the best beats two thirds: score 4.
    expect(Array.from(quantileScores([2, 1, 1], "higher"))).toEqual([4, 1, 1]);
  });

  it("rejects values that are not finite numbers", () => {
    expect(() => quantileScores([1, Number.NaN], "higher")).toThrow("invalid value at 1; not a finite number: NaN");
  });
});

describe("RFM segments", () => {
  it("names every (R, F) pair by the documented grid", () => {
    const grid = [5, 4, 3, 2, 1].map((r) => [1, 2, 3, 4, 5].map((f) => rfmSegment(r, f)));
    expect(grid).toEqual([
      ["New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"],
      ["Promising", "Potential loyalists", "Potential loyalists", "Loyal", "Loyal"],
      ["About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"],
      ["Hibernating", "Hibernating", "At risk", "At risk", "Can't lose"],
      ["Hibernating", "Hibernating", "At risk", "At risk", "Can't lose"]
    ]);
    expect(new Set(grid.flat())).toEqual(new Set(RFM_SEGMENTS.map((segment) => segment.name)));
    expect(() => rfmSegment(0, 3)).toThrow("invalid recency score; not an integer from 1 to 5: 0");
  });

  it("scores hand-made customers", () => {
    // Five customers: (recency days, orders, net spend).
    const customers = [
      [2, 40, 9000], // bought two days ago, most orders and spend
      [30, 10, 2500], // monetary ranks third of five → M 3
      [60, 3, 400],
      [200, 8, 3000], // used to buy often, gone for 200 days
      [365, 1, 50] // one order a year ago
    ];
    const scores = scoreRfm({
      recency: customers.map((customer) => customer[0]),
      frequency: customers.map((customer) => customer[1]),
      monetary: customers.map((customer) => customer[2])
    });
    expect(scores.map(({cell, total, segment}) => ({cell, total, segment}))).toEqual([
      {cell: "555", total: 15, segment: "Champions"},
      {cell: "443", total: 11, segment: "Loyal"},
      {cell: "322", total: 7, segment: "About to sleep"},
      {cell: "234", total: 9, segment: "At risk"},
      {cell: "111", total: 3, segment: "Hibernating"}
    ]);
  });
});

describe("RFM breakpoints", () => {
  it("give every fitted value its rank score, ties included, and score new values by the share of fitted customers worse", () => {
    const orders = [1, 1, 1, 1, 1, 1, 2, 3, 5, 9];
    const fitted = fitBreakpoints(orders, "higher");
    // Best values scoring below 2, 3, 4 (the one-time buyers: 2 and 3 are empty) and below 5 (3 orders scores 4).
    expect(fitted.cuts).toEqual([1, 1, 1, 3]);
    expect(orders.map((value) => scoreValue(fitted, value))).toEqual(Array.from(quantileScores(orders, "higher")));
    // 1.5 orders: 6 of 10 fitted customers worse → 1 + ⌊3⌋ = 4; 4 orders: 8 worse → 5; beyond every fitted value: 5; below: 1.
    expect([0, 1.5, 4, 100].map((value) => scoreValue(fitted, value))).toEqual([1, 4, 5, 5]);
    const days = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const recency = fitBreakpoints(days, "lower");
    expect(recency.cuts).toEqual([90, 70, 50, 30]);
    expect([1, 10, 35, 95, 1000].map((value) => scoreValue(recency, value))).toEqual([5, 5, 4, 1, 1]);
  });
});

describe("the RFM model", () => {
  // Ties in every column: two pairs of identical customers, and three one-time buyers.
  const customers = {recency: [5, 5, 40, 40, 90, 200, 365, 365], frequency: [12, 12, 3, 3, 1, 1, 1, 2], monetary: [900, 900, 120, 120, 30, 30, 15, 60]};
  const noBacktest = {customer_id: [], recency: [], frequency: [], monetary: [], churned: [], cutoff: null};
  const today = (input: typeof customers) => ({
    customer_id: input.recency.map((_, i) => 100 + i),
    country: input.recency.map(() => "United Kingdom"),
    recency_days: input.recency,
    frequency: input.frequency,
    monetary: input.monetary
  });

  it("scores the fitted customers exactly as the rank scores do, and a new customer against the fitted breakpoints", () => {
    const {artefact} = rfmModel.fit({customers, backtest: noBacktest});
    const scored = rfmModel.score(artefact, today(customers)).segments;
    expect(scored.map((row) => row.rfm_cell)).toEqual(scoreRfm(customers).map((score) => score.cell));
    // A new customer: bought yesterday (no fitted customer is more recent: R 5), 4 orders (6 of 8 have fewer:
    // 1 + ⌊3.75⌋ = 4), £2,000 (more than all 8: M 5).
    const [newcomer] = rfmModel.score(artefact, today({recency: [1], frequency: [4], monetary: [2000]})).segments;
    expect(newcomer).toMatchObject({customer_id: 100, r_score: 5, f_score: 4, m_score: 5, rfm_cell: "545", rfm_score: 14, segment: "Champions"});
  });

  it("back-tests as of the cut-off and compares today's segments with the back-test's", () => {
    // Back-test: two customers who bought again (recent, frequent) and two who did not.
    const backtest = {
      customer_id: [1, 2, 3, 4],
      recency: [10, 20, 200, 300],
      frequency: [5, 4, 1, 1],
      monetary: [500, 400, 50, 40],
      churned: [0, 0, 1, 1],
      cutoff: "2011-09-10"
    };
    const {artefact, metrics} = rfmModel.fit({customers, backtest});
    // Totals 12, 9, 5, 3 and R 4, 3, 2, 1 both rank the two buyers first: ROC-AUC 1 each.
    expect(metrics.map(({method, metric, value, n}) => ({method, metric, value, n}))).toEqual([
      {method: "rfm_score", metric: "roc_auc", value: 1, n: 4},
      {method: "r_score", metric: "roc_auc", value: 1, n: 4},
      {method: "rfm_score", metric: "repurchase_rate", value: 0.5, n: 4}
    ]);
    expect(metrics[0].details).toContain("does NOT beat the R score alone (1.000)");
    // Customer 1 (R 4, F 4: Loyal as of the cut-off) is today's customer 1, a new one: cells 545 → Champions.
    const {movement, summary} = rfmModel.score(artefact, {...today({recency: [1], frequency: [4], monetary: [2000]}), customer_id: [1]});
    expect(movement).toEqual([{from_segment: "Loyal", to_segment: "Champions", customers: 1, share_of_from: 1, cutoff: "2011-09-10"}]);
    const loyal = summary.find((row) => row.segment === "Loyal")!;
    expect(loyal).toMatchObject({customers: 0, backtest_customers: 1, backtest_repurchase_rate: 1});
  });

  it("says why when there is nothing to fit or back-test, and refuses options", () => {
    const empty = {recency: [], frequency: [], monetary: []};
    const none = rfmModel.fit({customers: empty, backtest: noBacktest});
    expect(none.metrics.map((row) => [row.method, row.details])).toEqual([["none", "No customers with a customer id: RFM scores need identified customers."]]);
    expect(rfmModel.score(none.artefact, today(customers)).segments).toEqual([]);
    const allBought = {customer_id: [1, 2], recency: [1, 2], frequency: [1, 1], monetary: [5, 6], churned: [0, 0], cutoff: "2011-09-10"};
    expect(rfmModel.fit({customers, backtest: allBought}).metrics[0].details).toBe(
      "Not back-tested: 2 customers were seen before 2011-09-10, 2 of whom bought again; the back-test needs some of each."
    );
    expect(rfmModel.options()).toEqual({});
    expect(() => rfmModel.options({levels: 4} as never)).toThrow("invalid rfm option; unknown: levels (RFM has no options)");
  });
});
