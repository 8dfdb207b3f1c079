import {deserialize, serialize} from "node:v8";
import {describe, expect, it} from "vitest";
import {detect, reason} from "../../../models/anomalies/detect.js";
import {inject} from "../../../models/anomalies/evaluate.js";
import {anomaliesModel, fit, score, scoringRow, type AnomalyOptions} from "../../../models/anomalies/index.js";
import {fitBaselines, groupBy, medianAndMad, robustScores, type Lines} from "../../../models/anomalies/robust.js";
import {standardise, zFit, zFlags, zScores, zScoresAgainst} from "../../../models/anomalies/zscore.js";

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

/** Fit on the lines and score the same lines (what the stage does when the window covers all the data). */
function findAnomalies(data: Lines, options: Partial<AnomalyOptions> = {}) {
  const {artefact, metrics} = fit(data, options);
  return {...score(artefact, data), metrics};
}

const LN2 = Math.log(2);

describe("options", () => {
  it("lists every default and validates each option, showing the bad value", () => {
    expect(anomaliesModel.name).toBe("anomalies");
    expect(anomaliesModel.options()).toEqual({
      minPriceSpread: Math.log(1.25),
      minQuantitySpread: LN2,
      minCustomerLines: 3,
      priceRatio: 10,
      priceScore: 3,
      quantityRatio: 20,
      quantityScore: 2,
      critical: 50,
      high: 20,
      injectShare: 0.01,
      seed: 42,
      zThreshold: 3,
      evaluate: true
    });
    expect(anomaliesModel.options({seed: 7, evaluate: false})).toMatchObject({seed: 7, evaluate: false, priceRatio: 10});
    expect(() => anomaliesModel.options({minCustomerLines: 0})).toThrow("invalid minCustomerLines; not a positive integer: 0");
    expect(() => anomaliesModel.options({priceRatio: 1})).toThrow("invalid priceRatio; not a number above 1: 1");
    expect(() => anomaliesModel.options({injectShare: 1})).toThrow("invalid injectShare; not a number strictly between 0 and 1: 1");
    expect(() => anomaliesModel.options({k: 3} as Partial<AnomalyOptions>)).toThrow("invalid anomalies option; unknown: k (options: minPriceSpread,");
    expect(() => fit(lines([[0, -1, 1, 2]]), {zThreshold: -1})).toThrow("invalid zThreshold; not a positive number: -1");
  });
});

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
    const baselines = fitBaselines(data);
    const scores = robustScores(baselines, data);
    expect(Math.exp(baselines.logPrice[0])).toBeCloseTo(2, 12);
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
    const baselines = fitBaselines(data);
    const scores = robustScores(baselines, data);
    expect(scores.expectedQuantity[9]).toBeCloseTo(100, 9);
    expect(scores.quantityScore[9]).toBeCloseTo(0, 12);
    // Customer 1's 100 is 100× their habit; spread floor log 2 (the product's MAD of log quantity is 0).
    expect(scores.quantityScore[14]).toBeCloseTo(Math.log(100) / LN2, 10);
    const found = detect(baselines, data).findings;
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
    const {findings} = detect(fitBaselines(data), data);
    expect(findings.map((finding) => [finding.line, finding.kind, finding.severity])).toEqual([
      [20, "price", "Medium"],
      [21, "price", "High"]
    ]);
    expect(findings[0].typicalPrice).toBeCloseTo(2.6, 12);
    expect(reason(findings[0], 6, 30, true)).toBe("Unit price £30.00 is 12× this product's usual £2.60");
    expect(reason(findings[1], 6, 0.1, true)).toBe("Unit price £0.10 is 1/26 of this product's usual £2.60");
  });

  it("rejects bad lines, showing the value", () => {
    expect(() => fitBaselines(lines([[0, -1, 0, 1]]))).toThrow("invalid quantity on line 0; not a positive number: 0");
    expect(() => robustScores(fitBaselines(data), lines([[5, -1, 1, 1]]))).toThrow("invalid product index on line 0; expected -1 to 1: 5");
  });
});

describe("fit and score", () => {
  // Product 0 in the fit window: customer 0 buys 2 at £1, £2, £4; customer 1 buys 8 three times at £2.
  const window = lines([
    [0, 0, 2, 1],
    [0, 0, 2, 2],
    [0, 0, 2, 4],
    [0, 1, 8, 2],
    [0, 1, 8, 2],
    [0, 1, 8, 2]
  ]);
  const fitted = fit(window, {evaluate: false});

  it("keeps per-product and per-customer baselines computable by hand, as plain data", () => {
    const {baselines} = fitted.artefact;
    // Log prices 0, l2, 2·l2, l2, l2, l2: median l2, MAD 0, so the floor log 1.25.
    expect(baselines.logPrice[0]).toBeCloseTo(LN2, 12);
    expect(baselines.priceSpread[0]).toBe(Math.log(1.25));
    // Log quantities l2 ×3, 3·l2 ×3: median 2·l2 (4 units), every deviation l2, so the spread 1.4826·l2.
    expect(baselines.logQuantity[0]).toBeCloseTo(2 * LN2, 12);
    expect(baselines.quantitySpread[0]).toBeCloseTo(1.4826 * LN2, 12);
    // Customer 0 buys half the usual quantity, customer 1 twice it.
    expect(Array.from(baselines.habit, (value) => Number(value.toFixed(12)))).toEqual([-LN2, LN2].map((value) => Number(value.toFixed(12))));
    expect(fitted.artefact.lines).toBe(6);
    expect(fitted.metrics).toEqual([]);
    expect(deserialize(serialize(fitted.artefact))).toEqual(fitted.artefact);
    expect(structuredClone(fitted.artefact)).toEqual(fitted.artefact);
  });

  it("checks new lines against the fit at once, a customer's habit included; a product the fit did not see is counted, not scored", () => {
    const today = {
      ...lines([
        [0, 0, 2, 2], // as usual
        [0, 1, 8, 60], // 30× the usual price: High
        [0, 0, 120, 2], // 60× what customer 0 buys: Critical
        [0, -1, 120, 2], // 30× the product's usual 4 for a guest (or a customer first seen after the fit): High
        [0, 1, 120, 2], // 15× what customer 1 buys: not flagged
        [-1, 0, 1000, 999] // a product first sold after the fit
      ]),
      products: 1,
      customers: 2
    };
    const result = score(fitted.artefact, today);
    expect(result.lines).toBe(6);
    expect(result.unscored).toBe(1);
    expect(result.rows.map((row) => [row.line, row.kind, row.severity])).toEqual([
      [1, "price", "High"],
      [2, "quantity", "Critical"],
      [3, "quantity", "High"]
    ]);
    expect(result.rows.map((row) => row.factor)).toEqual([30, 60, 30].map((value) => expect.closeTo(value, 9)));
    expect(result.rows[1].expected_quantity).toBeCloseTo(2, 12);
    expect(result.rows[1].quantity_score).toBeCloseTo(Math.log(60) / (1.4826 * LN2), 10);
    expect(result.rows.map((row) => row.reason)).toEqual([
      "Unit price £60.00 is 30× this product's usual £2.00",
      "Quantity 120 is 60× what this customer usually orders of it (2)",
      "Quantity 120 is 30× the usual order of this product (4)"
    ]);
  });

  it("scores the fit's own lines the same whatever lines come after them", () => {
    const later = {...lines([[0, 0, 2, 2]]), products: 1, customers: 2};
    const both: Lines = {
      ...window,
      product: Int32Array.from([...window.product, ...later.product]),
      customer: Int32Array.from([...window.customer, ...later.customer]),
      quantity: Float64Array.from([...window.quantity, ...later.quantity]),
      unitPrice: Float64Array.from([...window.unitPrice, ...later.unitPrice])
    };
    expect(score(fitted.artefact, both).rows).toEqual(score(fitted.artefact, window).rows);
  });

  it("builds the scoring's metric row, saying what was not checked", () => {
    expect(scoringRow({lines: 10, unscored: 3, newProducts: 2}, "2011-12-04")).toEqual({
      model: "anomalies",
      method: "robust",
      role: "published",
      metric: "unscored_lines",
      split: "scored: every sales line",
      value: 3,
      n: 10,
      details: "3 of 10 lines are not checked: they are of 2 products first sold after 2011-12-04, which have no baseline until the next refit includes them."
    });
    expect(scoringRow({lines: 10, unscored: 0, newProducts: 0}, "2011-12-04").details).toBe(
      "All 10 lines were checked against baselines fitted on data through 2011-12-04."
    );
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

  it("scores new lines against the fitted means and standard deviations", () => {
    // Quantity 1, 3: mean 2, sd 1; price 2, 2: sd 0 (z 0); amount 2, 6: mean 4, sd 2.
    const baseline = zFit(Float64Array.from([1, 3]), Float64Array.from([2, 2]));
    expect(Array.from(baseline.mean)).toEqual([2, 2, 4]);
    expect(Array.from(baseline.sd)).toEqual([1, 0, 2]);
    const z = zScoresAgainst(baseline, Float64Array.from([5, 6]), Float64Array.from([2, 9]));
    expect([Array.from(z.quantity), Array.from(z.unitPrice), Array.from(z.amount)]).toEqual([
      [3, 4],
      [0, 0],
      [3, 25]
    ]);
    expect(Array.from(zFlags(z))).toEqual([0, 1]);
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
    expect(result.metrics.map((row) => row.split)).toContain(
      "injected: 20 random lines of 2000 (seed 42; half quantity × 100, half unit price × 50), evaluated on the altered copy"
    );
    expect(result.rows).toEqual([]);
  });

  it("says which bucket it evaluated when the stage splits products into buckets", () => {
    const data = lines(Array.from({length: 2000}, (_, k): [number, number, number, number] => [k % 10, k % 50, 1 + (k % 4), 2 + (k % 10) * 0.5]));
    const {metrics} = fit({...data, bucketOf: {buckets: 3, totalLines: 6100}});
    expect(metrics[0].split).toBe(
      "injected: 20 random lines of 2000 (seed 42; half quantity × 100, half unit price × 50), evaluated on the altered copy; " +
        "the lines of products in bucket 1 of 3 (2000 of 6100 lines: see ANOMALY_CHUNK_LINES)"
    );
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
    const wholeBaselines = fitBaselines(lines(rows));
    const whole = robustScores(wholeBaselines, lines(rows));
    for (let bucket = 0; bucket < 3; bucket++) {
      const members = rows.map((_, k) => k).filter((k) => rows[k][0] % 3 === bucket);
      const part = {...lines(members.map((k) => rows[k])), products: 40, customers: 30};
      const scores = robustScores(fitBaselines(part), part);
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

  it("is not fitted on no lines", () => {
    const result = findAnomalies({
      ...lines([[0, -1, 1, 2]]),
      product: new Int32Array(0),
      customer: new Int32Array(0),
      quantity: new Float64Array(0),
      unitPrice: new Float64Array(0)
    });
    expect(result.rows).toEqual([]);
    expect(result.metrics.map((row) => [row.metric, row.details])).toEqual([["not_fitted", "No sales lines to check."]]);
  });
});
