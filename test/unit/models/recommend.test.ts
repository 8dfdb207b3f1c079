import {describe, expect, it} from "vitest";
import {fitAls, packRows, scoreItems, scoreRows} from "../../../models/recommend/als.js";
import {precisionRecallAtK, topK} from "../../../models/recommend/evaluate.js";
import {fit, options, recommendationsModel, score} from "../../../models/recommend/index.js";
import {RECOMMEND_DEFAULTS} from "../../../models/recommend/options.js";
import {checkPurchases, popularityBetween, profileBefore, repeatRates, type Purchases} from "../../../models/recommend/history.js";
import {DEFAULT_CATALOGUE, Ranker, SHORTLIST} from "../../../models/recommend/rank.js";
import {computeSignals} from "../../../models/recommend/signals.js";
import {csrFromTriples, transpose} from "../../../models/recommend/sparse.js";
import {mulberry32} from "../../../models/random.js";

/** Events sorted by user, item, day from (user, item, day) triples. */
function purchases(users: number, items: number, triples: [number, number, number][]): Purchases {
  const sorted = [...triples].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return {users, items, user: Int32Array.from(sorted, (t) => t[0]), item: Int32Array.from(sorted, (t) => t[1]), day: Int32Array.from(sorted, (t) => t[2])};
}

describe("sparse matrices", () => {
  it("build CSR rows with summed duplicates and transpose them", () => {
    const matrix = csrFromTriples(2, 3, [1, 0, 1, 1], [2, 1, 0, 2], [1, 2, 3, 4]);
    expect(Array.from(matrix.offsets)).toEqual([0, 1, 3]);
    expect(Array.from(matrix.columns)).toEqual([1, 0, 2]);
    expect(Array.from(matrix.values)).toEqual([2, 3, 5]);
    const t = transpose(matrix);
    expect(Array.from(t.offsets)).toEqual([0, 1, 2, 3]);
    expect(Array.from(t.columns)).toEqual([1, 0, 1]);
    expect(Array.from(t.values)).toEqual([3, 2, 5]);
    expect(() => csrFromTriples(1, 1, [0], [1])).toThrow("invalid column index; expected 0 to 0: 1");
  });
});

describe("implicit ALS", () => {
  // Planted structure: 3 groups of 8 customers, each buying only from its own block of 6 products.
  const groups = 3;
  const users = 24;
  const items = 18;
  const group = (index: number, size: number) => Math.floor(index / size);
  const held = new Set<string>();
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) {
      if (group(u, 8) !== group(i, 6)) continue;
      // Hold out one in-block product per customer: the model must still rank it above every other block's.
      if (i % 6 === u % 6) {
        held.add(`${u},${i}`);
        continue;
      }
      rows.push(u);
      cols.push(i);
    }
  }
  const matrix = csrFromTriples(users, items, rows, cols);

  it("recovers a planted block structure: every held-out in-block product outranks every other block's", () => {
    const model = fitAls(matrix, {factors: groups, iterations: 20, cgSteps: 3, alpha: 10, regularization: 0.01, seed: 7});
    for (let u = 0; u < users; u++) {
      const scores = scoreItems(model, u);
      const heldOut = [...Array(items).keys()].find((i) => held.has(`${u},${i}`))!;
      const otherBlocks = [...Array(items).keys()].filter((i) => group(i, 6) !== group(u, 8));
      for (const other of otherBlocks) expect(scores[heldOut], `customer ${u}: product ${heldOut} vs ${other}`).toBeGreaterThan(scores[other]);
    }
  });

  it("is deterministic for a seed and starts elsewhere for another", () => {
    const a = fitAls(matrix, {seed: 1, iterations: 2});
    const b = fitAls(matrix, {seed: 1, iterations: 2});
    const c = fitAls(matrix, {seed: 2, iterations: 2});
    expect(a.userFactors).toEqual(b.userFactors);
    expect(a.itemFactors).toEqual(b.itemFactors);
    expect(a.userFactors).not.toEqual(c.userFactors);
  });

  it("rejects bad settings, showing the value", () => {
    expect(() => fitAls(matrix, {factors: 0})).toThrow("invalid factors; not a positive integer: 0");
    expect(() => fitAls(matrix, {alpha: -1})).toThrow("invalid alpha; not a non-negative number: -1");
  });
});

describe("ranking metrics", () => {
  it("computes precision and recall at k over users with relevant items", () => {
    const lists = new Map([
      [0, [1, 2, 3]],
      [1, [4, 5, 6]],
      [2, [7]]
    ]);
    const relevant = [new Set([1, 3, 9, 10]), new Set<number>(), new Set([7])];
    const score = precisionRecallAtK(lists, relevant, 3);
    expect(score.users).toBe(2);
    expect(score.precision).toBeCloseTo((2 / 3 + 1 / 3) / 2, 12);
    expect(score.recall).toBeCloseTo((2 / 4 + 1) / 2, 12);
  });

  it("takes the top k, ties to the lower index, skipping excluded items", () => {
    expect(topK([1, 5, 5, 3, 9], 3)).toEqual([4, 1, 2]);
    expect(topK([1, 5, 5, 3, 9], 3, (i) => i === 4)).toEqual([1, 2, 3]);
    expect(topK([NaN, Infinity, -Infinity, 2, NaN], 3)).toEqual([3]);
    expect(topK([-Infinity, -1e300, -Infinity], 2)).toEqual([1]);
    expect(topK([4, 2], 0)).toEqual([]);
    expect(topK([4, 2], 5)).toEqual([0, 1]);
  });

  it("takes the same top k as a stable sort, on seeded scores with ties, gaps and exclusions", () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = Math.floor(random() * 300);
      const k = 1 + Math.floor(random() * 60);
      // Few distinct values, so ties are common; some NaN and infinities.
      const scores = Array.from({length: n}, () => {
        const draw = random();
        return draw < 0.03 ? NaN : draw < 0.05 ? Infinity : draw < 0.07 ? -Infinity : Math.floor(random() * 20) - 10;
      });
      const excluded = new Set(Array.from({length: Math.floor(n / 10)}, () => Math.floor(random() * n)));
      const expected = scores
        .map((score, index) => ({score, index}))
        .filter(({score, index}) => Number.isFinite(score) && !excluded.has(index))
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .slice(0, k)
        .map(({index}) => index);
      expect(
        topK(scores, k, (i) => excluded.has(i)),
        `trial ${trial}`
      ).toEqual(expected);
    }
  });
});

describe("purchase history", () => {
  const data = purchases(2, 3, [
    [0, 0, 10],
    [0, 0, 12],
    [0, 1, 14],
    [1, 2, 11],
    [1, 0, 20]
  ]);

  it("summarises what each customer bought before a cut-off", () => {
    const profile = profileBefore(data, 15, 2);
    expect(Array.from(profile.counts.columns)).toEqual([0, 1, 2]);
    expect(Array.from(profile.counts.values)).toEqual([2, 1, 1]);
    expect(Array.from(profile.lastDay.values)).toEqual([12, 14, 11]);
    // Ages 4 and 2 days before the eve of day 15, half-life 2: 2^-2 + 2^-1.
    expect(profile.decayed.values[0]).toBeCloseTo(0.25 + 0.5, 12);
    expect(Array.from(profile.active)).toEqual([1, 1]);
  });

  it("counts distinct buyers and repeat buyers", () => {
    expect(Array.from(popularityBetween(data, 0, 30))).toEqual([2, 1, 1]);
    expect(Array.from(popularityBetween(data, 11, 13))).toEqual([1, 0, 1]);
    // Product 0: customer 0 bought before day 12 and again on day 12; customer 1 only later.
    expect(repeatRates(data, 12, 30, 0, 0)[0]).toBe(1);
  });

  it("insists on sorted, distinct events", () => {
    expect(() => checkPurchases({...data, day: Int32Array.from([12, 10, 14, 11, 20])})).toThrow(
      "not sorted by customer, product and day (or not distinct) at event 1"
    );
  });
});

describe("the blend", () => {
  it("finds the same top 10 through its shortlist as by scoring every product", () => {
    const random = mulberry32(3);
    const triples: [number, number, number][] = [];
    const seen = new Set<string>();
    for (let k = 0; k < 6000; k++) {
      const user = Math.floor(random() ** 2 * 120);
      const item = Math.floor(random() ** 3 * 400);
      const day = 1000 + Math.floor(random() * 200);
      if (seen.has(`${user},${item},${day}`)) continue;
      seen.add(`${user},${item},${day}`);
      triples.push([user, item, day]);
    }
    const data = purchases(120, 400, triples);
    const signals = computeSignals(data, 1200, {...RECOMMEND_DEFAULTS, factors: 8, iterations: 4});
    const ranker = new Ranker(signals);
    for (const weights of [
      {popularity: 0, als: 0},
      {popularity: 0.3, als: 1},
      {popularity: 1, als: 0.1}
    ]) {
      for (let user = 0; user < 120; user++) {
        ranker.load(user);
        for (const mode of ["buy_again", "discover"] as const) {
          const fast = ranker.rank("blend", mode, 10, weights).items;
          const full = new Float64Array(400);
          for (let item = 0; item < 400; item++) {
            full[item] =
              (mode === "discover" && ranker.bought[item]) || signals.popularity[item] === 0
                ? Number.NaN
                : (mode === "buy_again" ? ranker.own[item] : 0) +
                  weights.popularity * signals.recentPopularity[item] +
                  weights.als * ranker.alsScores[item] +
                  ranker.tie[item];
          }
          expect(fast, `user ${user}, ${mode}, ${JSON.stringify(weights)}`).toEqual(topK(full, 10));
        }
      }
    }

    // With a catalogue smaller than the products: the same, scoring only the 100 most popular products, the
    // 50 recent-popularity leaders and the customer's own products (ALS scaled over those).
    const small = new Ranker(signals, 100);
    const byPopularity = Array.from({length: 400}, (_, item) => item).sort((a, b) => signals.popularity[b] - signals.popularity[a] || a - b);
    const byRecent = Array.from({length: 400}, (_, item) => item).sort(
      (a, b) => signals.recentPopularity[b] + small.tie[b] - (signals.recentPopularity[a] + small.tie[a]) || a - b
    );
    const catalogue = new Set([...byPopularity.slice(0, 100), ...byRecent.slice(0, 50)]);
    const weights = {popularity: 0.3, als: 1};
    for (let user = 0; user < 120; user++) {
      small.load(user);
      const scored = [...catalogue, ...Array.from({length: 400}, (_, item) => item).filter((item) => small.bought[item])];
      let best = 0;
      for (const item of scored) best = Math.max(best, Math.abs(small.alsScores[item]));
      expect(best === 1 || best === 0, `user ${user}: ALS scaled over the scored products`).toBe(true);
      for (const mode of ["buy_again", "discover"] as const) {
        const fast = small.rank("blend", mode, 10, weights).items;
        const full = new Float64Array(400).fill(Number.NaN);
        for (const item of scored) {
          if (!((mode === "discover" && small.bought[item]) || signals.popularity[item] === 0)) {
            full[item] =
              (mode === "buy_again" ? small.own[item] : 0) +
              weights.popularity * signals.recentPopularity[item] +
              weights.als * small.alsScores[item] +
              small.tie[item];
          }
        }
        expect(fast, `user ${user}, ${mode}, catalogue 100`).toEqual(topK(full, 10));
        for (const item of fast) expect(catalogue.has(item) || (mode === "buy_again" && small.bought[item] === 1)).toBe(true);
      }
    }
    expect(() => new Ranker(signals, 0)).toThrow("invalid catalogueSize; not a positive integer: 0");

    // Scoring from a fit's views (each customer's ALS shortlist and scale, computed here by the full ranker):
    // the same lists, though only the candidates' ALS scores are computed.
    const views = {
      factored: new Uint8Array(120).fill(1),
      shortlist: new Int32Array(120 * SHORTLIST).fill(-1),
      scale: new Float64Array(120),
      catalogue: ranker.catalogueFlags()
    };
    for (let user = 0; user < 120; user++) {
      ranker.load(user);
      views.shortlist.set(ranker.alsView().shortlist, user * SHORTLIST);
      views.scale[user] = ranker.alsView().scale;
    }
    const viewed = new Ranker(signals, DEFAULT_CATALOGUE, views);
    // Balanced weights send many discover lists to the fallback, which scores only the products whose
    // bound (popularity and the shortlist's last ALS score) can still reach the shortlist's 10th.
    for (const weights of [{popularity: 0.3, als: 1}, {popularity: 1, als: 0.1}, ...[0.5, 1, 2, 4, 8].map((popularity) => ({popularity, als: 1}))]) {
      for (let user = 0; user < 120; user++) {
        ranker.load(user);
        viewed.load(user);
        for (const mode of ["buy_again", "discover"] as const) {
          expect(viewed.rank("blend", mode, 10, weights), `user ${user}, ${mode}`).toEqual(ranker.rank("blend", mode, 10, weights));
        }
      }
    }
  });
});

/** Fit and score the same data (the lists of a fit on everything, as a refit on every day gives). */
function recommend(input: Parameters<typeof fit>[0], partial?: Parameters<typeof fit>[1]) {
  const fitted = fit(input, partial);
  return {...fitted, lists: score(fitted.artefact, input)};
}

describe("recommend", () => {
  it("cannot know what it did not see: a product that first sells in the test window is never recommended there", () => {
    // 30 customers buy products 0–29 at random for 100 days; in the last 30 days everyone buys only product 30, new.
    const random = mulberry32(11);
    const triples: [number, number, number][] = [];
    for (let user = 0; user < 30; user++) {
      for (let day = 0; day < 100; day += 2) triples.push([user, Math.floor(random() * 30), day + (user % 2)]);
      triples.push([user, 30, 120 + (user % 10)]);
    }
    const unique = [...new Map(triples.map((t) => [t.join(","), t])).values()];
    const codes = [...Array.from({length: 30}, (_, i) => `OLD${i}`), "NEW"];
    const result = recommend(
      {...purchases(30, 31, unique), customerIds: Array.from({length: 30}, (_, u) => 1000 + u), stockCodes: codes},
      {testDays: 30, validationDays: 30, factors: 2, iterations: 3}
    );
    const precisions = result.metrics.filter((row) => row.metric === "precision_at_10");
    expect(precisions.length).toBeGreaterThan(0);
    for (const row of precisions) expect(row.value, row.method).toBe(0);
    // The published lists, built from all the data, do know it.
    expect(Array.from(result.lists.item).some((item) => codes[item] === "NEW")).toBe(true);
  });

  it("lists up to 10 per customer and mode, discover only products the customer never bought, each with its reason's facts", () => {
    const random = mulberry32(5);
    const triples = new Map<string, [number, number, number]>();
    for (let k = 0; k < 3000; k++) {
      const t: [number, number, number] = [Math.floor(random() * 40), Math.floor(random() ** 2 * 60), Math.floor(random() * 150)];
      triples.set(t.join(","), t);
    }
    const data = purchases(40, 60, [...triples.values()]);
    const names = Array.from({length: 60}, (_, i) => `P${i}`);
    const result = recommend({...data, customerIds: Array.from({length: 40}, (_, u) => u + 1), stockCodes: names}, {factors: 4, iterations: 3});
    const profile = profileBefore(data, 1e9, 30);
    const {lists} = result;
    for (let user = 0; user < 40; user++) {
      for (const [modeIndex, mode] of (["buy_again", "discover"] as const).entries()) {
        const list = [...lists.user.keys()].filter((at) => lists.user[at] === user && lists.mode[at] === modeIndex);
        const bought = new Set(profile.counts.columns.subarray(profile.counts.offsets[user], profile.counts.offsets[user + 1]));
        const sold = new Set(data.item);
        const available = mode === "buy_again" ? sold.size : [...sold].filter((item) => !bought.has(item)).length;
        expect(list.map((at) => lists.rank[at])).toEqual(Array.from({length: Math.min(10, available)}, (_, r) => r + 1));
        for (const at of list) {
          const item = lists.item[at];
          const entry =
            [...profile.counts.columns.subarray(profile.counts.offsets[user], profile.counts.offsets[user + 1])].indexOf(item) + profile.counts.offsets[user];
          if (mode === "discover") expect(bought.has(item)).toBe(false);
          // Bought before ⇔ reason 0, with the right count and last day; otherwise a related product the customer owns, or none.
          expect(lists.reason[at] === 0).toBe(bought.has(item));
          if (lists.reason[at] === 0) expect([lists.times[at], lists.lastDay[at]]).toEqual([profile.counts.values[entry], profile.lastDay.values[entry]]);
          if (lists.reason[at] === 1) {
            expect(bought.has(lists.related[at])).toBe(true);
            expect(lists.common[at]).toBeGreaterThan(0);
          } else expect(lists.related[at]).toBe(-1);
          if (lists.reason[at] === 3) expect(lists.recentBuyers[at]).toBeGreaterThan(0);
        }
      }
    }
  });

  it("scores a seeded sample of the customers when there are more than maxEvaluationCustomers, and says so", () => {
    const random = mulberry32(8);
    const triples = new Map<string, [number, number, number]>();
    for (let k = 0; k < 6000; k++) {
      const t: [number, number, number] = [Math.floor(random() * 200), Math.floor(random() ** 2 * 80), Math.floor(random() * 150)];
      triples.set(t.join(","), t);
    }
    const data = purchases(200, 80, [...triples.values()]);
    const names = Array.from({length: 80}, (_, i) => `P${i}`);
    const input = {...data, customerIds: Array.from({length: 200}, (_, u) => u + 1), stockCodes: names};
    const settings = {factors: 4, iterations: 3};
    const all = recommend(input, settings);
    const sampled = recommend(input, {...settings, maxEvaluationCustomers: 50});
    const eligible = all.metrics[0].n;
    expect(eligible).toBeGreaterThan(50);
    expect(all.metrics[0].split).toMatch(/\(customers buying in both\)$/);
    for (const row of sampled.metrics) {
      expect(row.n).toBe(50);
      expect(row.split).toMatch(new RegExp(`a seeded sample of 50 of the ${eligible} customers buying in both$`));
    }
    // Sampling touches only the evaluation: every customer still gets their lists.
    expect(sampled.lists.user.length).toBe(all.lists.user.length);
    expect(recommend(input, {...settings, maxEvaluationCustomers: 50})).toEqual(sampled);
    expect(() => recommend(input, {maxEvaluationCustomers: 0})).toThrow("invalid maxEvaluationCustomers; not a positive integer: 0");
  });

  it("returns nothing and says so when no identified customer bought anything", () => {
    const result = recommend({...purchases(0, 0, []), customerIds: [], stockCodes: []});
    expect(result.lists.user).toHaveLength(0);
    expect(result.metrics.map((row) => [row.metric, row.details])).toEqual([
      ["not_fitted", "No purchases by identified customers (lines without a customer id cannot be attributed): nothing to recommend from."]
    ]);
  });
});

describe("the recommendations model (dialect)", () => {
  it("states every option's default and refuses a bad value or an unknown option, showing it", () => {
    expect(recommendationsModel.name).toBe("recommendations");
    expect(options()).toEqual(RECOMMEND_DEFAULTS);
    expect(options({k: 5}).k).toBe(5);
    expect(() => options({k: 0})).toThrow("invalid k; not a positive integer: 0");
    expect(() => options({weightGrid: [0, -1]})).toThrow("invalid weightGrid; not a non-negative number: -1");
    expect(() => options({repeatPrior: [1] as unknown as [number, number]})).toThrow("invalid repeatPrior; not a pair of numbers [a, b]: [1]");
    expect(() => options({topK: 3} as never)).toThrow("invalid recommendations option; unknown: topK (options: k, testDays,");
    expect(() => fit({...purchases(0, 0, []), customerIds: [], stockCodes: []}, {factors: 0})).toThrow("invalid factors; not a positive integer: 0");
  });

  // Customers 101–103 before day 20: 101 buys products A and B, 102 buys A and C, 103 buys D (each on two days).
  const history: [number, number, number][] = [
    [0, 0, 1],
    [0, 0, 5],
    [0, 1, 2],
    [0, 1, 6],
    [1, 0, 3],
    [1, 0, 7],
    [1, 2, 4],
    [1, 2, 8],
    [2, 3, 2],
    [2, 3, 9]
  ];
  const codes = ["A", "B", "C", "D"];
  const fitted = fit({...purchases(3, 4, history), customerIds: [101, 102, 103], stockCodes: codes}, {factors: 2, iterations: 2});

  it("fits plain data: factors and index maps of the fit's customers and products, structured-cloneable", () => {
    const {artefact} = fitted;
    expect(Array.from(artefact.customerIds)).toEqual([101, 102, 103]);
    expect(artefact.stockCodes).toEqual(codes);
    expect(artefact.userFactors).toBeInstanceOf(Float64Array);
    expect(artefact.userFactors).toHaveLength(3 * 2);
    expect(artefact.itemFactors).toHaveLength(4 * 2);
    expect(artefact.lastDay).toBe(9);
    expect(structuredClone(artefact)).toEqual(artefact);
  });

  it("scores today's purchases: a product bought today is in the buyer's buy-again list and out of discover at once", () => {
    // Today (day 10) customer 103 buys A, which the fit never saw them buy.
    const today = purchases(3, 4, [...history, [2, 0, 10]]);
    const lists = score(fitted.artefact, {...today, customerIds: [101, 102, 103], stockCodes: codes});
    const rows = (user: number, mode: number) => [...lists.user.keys()].filter((at) => lists.user[at] === user && lists.mode[at] === mode);
    const again = rows(2, 0).find((at) => lists.item[at] === 0)!;
    expect([lists.reason[again], lists.times[again], lists.lastDay[again]]).toEqual([0, 1, 10]);
    expect(rows(2, 1).map((at) => codes[lists.item[at]])).not.toContain("A");
    expect(
      rows(2, 1)
        .map((at) => codes[lists.item[at]])
        .sort()
    ).toEqual(["B", "C"]);
    expect(Array.from(lists.newCustomer)).toEqual(Array.from(lists.user, () => 0));
  });

  it("falls back to co-purchases for a customer new since the fit, and says so", () => {
    // Customer 104 (new) buys A today: 101 and 102 bought A too (one shared product each), so B and C score
    // 1 co-purchase each against A's 2 (scaled: 0.5); D shares no buyer with A. ALS weight 1, no popularity.
    const artefact = {...fitted.artefact, weights: {buy_again: {popularity: 0, als: 1}, discover: {popularity: 0, als: 1}}};
    const today = purchases(4, 4, [...history, [3, 0, 10]]);
    const lists = score(artefact, {...today, customerIds: [101, 102, 103, 104], stockCodes: codes});
    const discover = [...lists.user.keys()].filter((at) => lists.user[at] === 3 && lists.mode[at] === 1);
    expect(discover.map((at) => codes[lists.item[at]])).toEqual(["B", "C", "D"]);
    expect(lists.score[discover[0]] - lists.score[discover[2]]).toBeCloseTo(0.5, 9);
    expect(lists.score[discover[1]] - lists.score[discover[2]]).toBeCloseTo(0.5, 9);
    // B and C: often bought with A (1 customer bought both); D: nothing in common, so popularity (1 buyer in the last 30 days).
    expect(discover.map((at) => [lists.reason[at], codes[lists.related[at]] ?? null, lists.common[at], lists.recentBuyers[at]])).toEqual([
      [1, "A", 1, 0],
      [1, "A", 1, 0],
      [3, null, 0, 1]
    ]);
    for (let at = 0; at < lists.user.length; at++) expect(lists.newCustomer[at], `row ${at}`).toBe(lists.user[at] === 3 ? 1 : 0);
  });
});

describe("scoreRows (the fit's hot loop)", () => {
  it("gives bit for bit the scores of scoreItems, with 16 factors (held in locals) and any other number", () => {
    for (const factors of [16, 7, 4]) {
      const random = mulberry32(factors);
      const items = 40;
      const model = {
        factors,
        users: 3,
        items,
        userFactors: Float64Array.from({length: 3 * factors}, () => random() - 0.5),
        itemFactors: Float64Array.from({length: items * factors}, () => random() - 0.5)
      };
      const chosen = [0, 3, 4, 17, 39];
      const rows = packRows(model.itemFactors, chosen, factors);
      for (let user = 0; user < 3; user++) {
        const all = scoreItems(model as Parameters<typeof scoreItems>[0], user);
        const out = new Float64Array(chosen.length);
        scoreRows(rows, chosen.length, factors, model.userFactors, user, out);
        expect([factors, user, Array.from(out)]).toEqual([factors, user, chosen.map((item) => all[item])]);
      }
    }
  });
});
