import {describe, expect, it} from "vitest";
import {detect, reason} from "../../models/anomalies/detect.js";
import {findAnomalies, inject} from "../../models/anomalies/fit.js";
import {groupBy, medianAndMad, robustScores, type Lines} from "../../models/anomalies/robust.js";
import {standardise, zFlags, zScores} from "../../models/anomalies/zscore.js";

function lines(rows: [product: number, customer: number, quantity: number, price: number][]): Lines {
  return {
    product: Int32Array.from(rows, (row) => row[0]),
    customer: Int32Array.from(rows, (row) => row[1]),
    quantity: Float64Array.from(rows, (row) => row[2]),
    unitPrice: Float64Array.from(rows, (row) => row[3]),
    products: Math.max(...rows.map((row) => row[0])) + 1,
    customers: Math.max(-1, ...rows.map((row) => row[1])) + 1
  };
}

describe("robust statistics", () => {
  it("computes per-group medians and MADs exactly", () => {
    const groups = groupBy(Int32Array.from([0, 1, 0, 0, 1, 0]), 3);
    const {median, mad} = medianAndMad(Float64Array.from([1, 10, 2, 3, 20, 10]), groups);
    // Group 0: 1, 2, 3, 10 → median 2.5, deviations 1.5, 0.5, 0.5, 7.5 → MAD 1. Group 1: 10, 20 → 15, MAD 5. Group 2: empty.
    expect(Array.from(median)).toEqual([2.5, 15, Number.NaN]);
    expect(Array.from(mad)).toEqual([1, 5, Number.NaN]);
  });

  it("scores a hand-made price outlier exactly, with the minimum spread when prices agree", () => {
    const data = lines([
      [0, -1, 1, 2],
      [0, -1, 1, 2],
      [0, -1, 1, 2],
      [0, -1, 1, 2],
      [0, -1, 1, 100]
    ]);
    const scores = robustScores(data);
    expect(scores.typicalPrice[0]).toBeCloseTo(2, 12);
    // MAD 0, so the spread is log 1.25: (log 100 − log 2) / log 1.25.
    expect(scores.priceScore[4]).toBeCloseTo(Math.log(50) / Math.log(1.25), 10);
    expect(scores.priceScore[0]).toBe(0);
  });

  it("takes a customer's habit out of the quantity score", () => {
    // Product 0 usually sells in 1s; customer 0 (a wholesaler) always buys 100; customer 1 usually 1.
    const rows: [number, number, number, number][] = [];
    for (let k = 0; k < 9; k++) rows.push([0, 1, 1, 1]);
    for (let k = 0; k < 5; k++) rows.push([0, 0, 100, 1]);
    rows.push([0, 1, 100, 1]);
    const data = lines(rows);
    const scores = robustScores(data);
    expect(scores.expectedQuantity[9]).toBeCloseTo(100, 9);
    expect(scores.quantityScore[9]).toBeCloseTo(0, 12);
    // Customer 1's 100 is 100× their habit; spread floor log 2 (the product's MAD of log quantity is 0).
    expect(scores.quantityScore[14]).toBeCloseTo(Math.log(100) / Math.log(2), 10);
    const found = detect(data).findings;
    expect(found.map((finding) => [finding.line, finding.kind, finding.severity])).toEqual([[14, "quantity", "Critical"]]);
  });
});

describe("the detector", () => {
  const data = lines([
    ...Array.from({length: 20}, (_, k): [number, number, number, number] => [0, k % 4, 6, 2.5 + (k % 3) * 0.1]),
    [0, 1, 6, 30], // 12× the usual price: Medium
    [0, 2, 6, 0.1], // 1/25: High
    [0, 3, 6, 2.6],
    ...Array.from({length: 10}, (_, k): [number, number, number, number] => [1, k % 4, 2, 10])
  ]);

  it("flags prices far from the product's usual one, in both directions, with severity and reason", () => {
    const {findings} = detect(data);
    expect(findings.map((finding) => [finding.line, finding.kind, finding.severity])).toEqual([
      [20, "price", "Medium"],
      [21, "price", "High"]
    ]);
    expect(findings[0].typicalPrice).toBeCloseTo(2.6, 12);
    expect(reason(findings[0], 6, 30, true)).toBe("Unit price £30.00 is 12× this product's usual £2.60");
    expect(reason(findings[1], 6, 0.1, true)).toBe("Unit price £0.10 is 1/26 of this product's usual £2.60");
  });

  it("rejects bad thresholds, showing the value", () => {
    expect(() => detect(data, {priceRatio: 1})).toThrow("invalid priceRatio; not a number above 1: 1");
    expect(() => robustScores(lines([[0, -1, 0, 1]]))).toThrow("invalid quantity on line 0; not a positive number: 0");
  });
});

describe("the seed's z-score method", () => {
  it("standardises with the population standard deviation and flags |z| > 3", () => {
    expect(Array.from(standardise(Float64Array.from([1, 2, 3])))).toEqual([-Math.sqrt(1.5), 0, Math.sqrt(1.5)]);
    const quantity = Float64Array.from([...Array(20).fill(1), 1000]);
    const price = Float64Array.from(Array(21).fill(2));
    const flags = zFlags(zScores(quantity, price));
    expect(
      Array.from(flags)
        .map((flag, i) => (flag ? i : -1))
        .filter((i) => i >= 0)
    ).toEqual([20]);
  });
});

describe("evaluation by injection", () => {
  it("alters the requested share of lines, alternating quantity × 100 and price × 50, the same way for a seed", () => {
    const data = lines(Array.from({length: 1000}, (_, k): [number, number, number, number] => [k % 7, k % 13, 1 + (k % 5), 1 + (k % 3)]));
    const a = inject(data, 0.01, 3);
    const b = inject(data, 0.01, 3);
    expect(a.injected).toBe(10);
    expect(Array.from(a.kinds)).toEqual(Array.from(b.kinds));
    const changed = [...a.kinds.keys()].filter((i) => a.kinds[i]);
    expect(changed).toHaveLength(10);
    for (const i of changed) {
      if (a.kinds[i] === 1) expect(a.copy.quantity[i]).toBe(data.quantity[i] * 100);
      else expect(a.copy.unitPrice[i]).toBe(data.unitPrice[i] * 50);
    }
    expect([...a.kinds].filter((kind) => kind === 1)).toHaveLength(5);
  });

  it("reports recall and precision of each method on the altered copy", () => {
    const data = lines(Array.from({length: 2000}, (_, k): [number, number, number, number] => [k % 10, k % 50, 1 + (k % 4), 2 + (k % 10) * 0.5]));
    const result = findAnomalies(data, {injectShare: 0.01});
    const value = (method: string, metric: string) => result.metrics.find((row) => row.method === method && row.metric === metric)!.value;
    // Clean synthetic data: the robust detector finds every injected line and nothing else.
    expect(value("robust", "recall")).toBe(1);
    expect(value("robust", "precision")).toBe(1);
    expect(result.rows).toEqual([]);
  });
});

describe("buckets of products (the stage's chunks at scale)", () => {
  it("scores a bucket's lines exactly as the whole data does for price, and evaluates only when asked", () => {
    // 40 products, 30 customers; a few prices far off. Bucket = product index modulo 3, as the stage does.
    const rows: [number, number, number, number][] = Array.from({length: 3000}, (_, k) => [
      k % 40,
      (k * 7) % 30,
      1 + (k % 5),
      1 + (k % 40) * 0.25 + (k % 3) * 0.01
    ]);
    for (const k of [5, 123, 777, 2001]) rows[k][3] *= 20;
    const all = findAnomalies(lines(rows), {evaluate: false});
    expect(all.metrics).toEqual([]);
    expect(all.injected).toBe(0);
    const whole = robustScores(lines(rows));
    for (let bucket = 0; bucket < 3; bucket++) {
      const members = rows.map((_, k) => k).filter((k) => rows[k][0] % 3 === bucket);
      const part = {...lines(members.map((k) => rows[k])), products: 40, customers: 30};
      const scores = robustScores(part);
      members.forEach((k, i) => expect(scores.priceScore[i], `line ${k}`).toBe(whole.priceScore[k]));
      const flaggedPrices = findAnomalies(part, {evaluate: false})
        .rows.filter((row) => row.kind !== "quantity")
        .map((row) => members[row.line]);
      expect(flaggedPrices).toEqual(
        all.rows
          .filter((row) => row.kind !== "quantity" && rows[row.line][0] % 3 === bucket)
          .map((row) => row.line)
          .sort((a, b) => a - b)
      );
    }
    expect(
      all.rows
        .filter((row) => row.kind !== "quantity")
        .map((row) => row.line)
        .sort((a, b) => a - b)
    ).toEqual([5, 123, 777, 2001]);
  });
});

describe("too little data", () => {
  it("still checks a handful of lines, but says it cannot evaluate on them", () => {
    const result = findAnomalies(
      lines([
        [0, -1, 1, 2],
        [0, -1, 1, 2],
        [0, -1, 1, 2],
        [0, -1, 1, 40]
      ])
    );
    expect(result.rows.map((row) => row.line)).toEqual([3]);
    expect(result.metrics.map((row) => row.details)).toEqual(["Not evaluated: 4 lines are too few to inject 1% of them."]);
  });
});
