import {describe, expect, it} from "vitest";
import {scoreRfm} from "../../../models/rfm/rfm.js";
import {quantileScores} from "../../../models/rfm/scores.js";
import {RFM_SEGMENTS, rfmSegment} from "../../../models/rfm/segments.js";

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
