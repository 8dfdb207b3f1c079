import {describe, expect, it} from "vitest";
import {analyseBaskets, mineBounded} from "../../../models/basket/fit.js";
import {fpGrowth, ItemsetLimitError, minimumCount, type Transactions} from "../../../models/basket/fpgrowth.js";
import {associationRules} from "../../../models/basket/rules.js";
import {mulberry32} from "../../../models/random.js";
import {bruteForceItemsets} from "../../helpers/brute-force-itemsets.js";

function transactions(lists: number[][], itemCount = Math.max(...lists.flat()) + 1): Transactions {
  const offsets = [0];
  const items: number[] = [];
  for (const list of lists) {
    items.push(...[...new Set(list)].sort((a, b) => a - b));
    offsets.push(items.length);
  }
  return {offsets: Int32Array.from(offsets), items: Int32Array.from(items), itemCount};
}

const asMap = (itemsets: {items: number[]; count: number}[]) => new Map(itemsets.map((itemset) => [itemset.items.join(","), itemset.count]));

describe("FP-growth", () => {
  // Han, Pei and Yin's example (f=0, a=1, c=2, d=3, g=4, i=5, m=6, p=7, b=8, l=9, o=10, h=11, j=12, k=13, s=14, e=15, n=16), support 3 of 5.
  const example = [
    [0, 1, 2, 3, 4, 5, 6, 7],
    [1, 8, 2, 0, 9, 6, 10],
    [8, 0, 11, 12, 10],
    [8, 2, 13, 14, 7],
    [1, 0, 2, 15, 9, 7, 6, 16]
  ];

  it("finds exactly the frequent itemsets of the textbook example", () => {
    const found = asMap(fpGrowth(transactions(example), {minSupport: 0.6}));
    // f:4 c:4 a:3 b:3 m:3 p:3; fc fa fm ca cm cp am: 3; fca fcm fam cam: 3; fcam: 3.
    expect(found).toEqual(
      new Map([
        ["0", 4],
        ["1", 3],
        ["2", 4],
        ["6", 3],
        ["7", 3],
        ["8", 3],
        ["0,1", 3],
        ["0,2", 3],
        ["0,6", 3],
        ["1,2", 3],
        ["1,6", 3],
        ["2,6", 3],
        ["2,7", 3],
        ["0,1,2", 3],
        ["0,1,6", 3],
        ["0,2,6", 3],
        ["1,2,6", 3],
        ["0,1,2,6", 3]
      ])
    );
  });

  it("matches a brute-force count on random baskets at several supports", () => {
    const random = mulberry32(9);
    const lists = Array.from({length: 300}, () => Array.from({length: 1 + Math.floor(random() * 12)}, () => Math.floor(random() ** 2 * 40)));
    for (const minSupport of [0.02, 0.05, 0.1]) {
      const found = asMap(fpGrowth(transactions(lists, 40), {minSupport}));
      expect(found).toEqual(bruteForceItemsets(lists, minimumCount(minSupport, lists.length)));
    }
  });

  it("computes the threshold as a count without float surprises, and validates input", () => {
    expect(minimumCount(0.02, 19773)).toBe(396);
    expect(minimumCount(0.02, 50)).toBe(1);
    expect(minimumCount(0.1, 30)).toBe(3);
    expect(() => minimumCount(0, 10)).toThrow("invalid minSupport; expected a number in (0, 1]: 0");
    expect(() => fpGrowth({offsets: Int32Array.from([0, 2]), items: Int32Array.from([3, 1]), itemCount: 4})).toThrow(
      "transaction 0 is not sorted and distinct: 3 then 1"
    );
  });
});

describe("association rules", () => {
  it("derives support, confidence and lift from itemset counts", () => {
    // 10 baskets: A in 5, B in 4, A and B together in 3.
    const rules = associationRules(
      [
        {items: [0], count: 5},
        {items: [1], count: 4},
        {items: [0, 1], count: 3}
      ],
      10,
      0.5
    );
    expect(rules).toEqual([
      {antecedent: [1], consequent: [0], count: 3, antecedentCount: 4, support: 0.3, confidence: 0.75, lift: 1.5},
      {antecedent: [0], consequent: [1], count: 3, antecedentCount: 5, support: 0.3, confidence: 0.6, lift: 0.6 / 0.4}
    ]);
    expect(
      associationRules(
        [
          {items: [0], count: 5},
          {items: [1], count: 4},
          {items: [0, 1], count: 3}
        ],
        10,
        0.7
      )
    ).toHaveLength(1);
  });
});

describe("basket analysis", () => {
  it("scopes by country, suggests bundles and cross-sells, and checks rules on later invoices", () => {
    // 200 invoices over 100 days; products 0 and 1 always together in half of them; country 1 has 120 invoices.
    const random = mulberry32(4);
    const lists = Array.from({length: 200}, (_, t) =>
      t % 2 === 0 ? [0, 1, 2 + Math.floor(random() * 20)] : [2 + Math.floor(random() * 20), 2 + Math.floor(random() * 20)]
    );
    const base = transactions(lists, 22);
    const result = analyseBaskets(
      {
        ...base,
        invoiceCountry: Int32Array.from(lists, (_, t) => (t < 120 ? 1 : 0)),
        invoiceDay: Int32Array.from(lists, (_, t) => Math.floor(t / 2)),
        countries: ["Elsewhere", "Home"],
        stockCodes: Array.from({length: 22}, (_, i) => `S${i}`),
        descriptions: Array.from({length: 22}, (_, i) => `Product ${i}`)
      },
      {minSupport: 0.1, countryMinInvoices: 100, holdoutDays: 20}
    );
    expect(result.scopes.map((scope) => [scope.scope, scope.invoices])).toEqual([
      ["All countries", 200],
      ["Home", 120]
    ]);
    const pair = result.itemsets.find((row) => row.scope === "All countries" && row.size === 2)!;
    expect(pair).toMatchObject({stock_codes: "S0, S1", products: "Product 0 + Product 1", invoices: 100, support: 0.5, lift: 2});
    expect(result.rules.filter((row) => row.scope === "All countries").map((row) => [row.antecedent_codes, row.consequent_codes, row.confidence])).toEqual([
      ["S0", "S1", 1],
      ["S1", "S0", 1]
    ]);
    const bundle = result.suggestions.find((row) => row.kind === "bundle" && row.scope === "All countries")!;
    expect(bundle.suggestion).toBe("Bundle Product 0 + Product 1: bought together in 100 orders (50.0%), 2.0× as often as if unrelated");
    const crossSell = result.suggestions.find((row) => row.kind === "cross_sell" && row.scope === "All countries" && row.rank === 1)!;
    expect(crossSell.suggestion).toBe("When a basket has Product 0, suggest Product 1: 100% of such orders include it (2.0× its usual rate)");
    const metric = (method: string, name: string) => result.metrics.find((row) => row.method === method && row.metric === name)!.value;
    expect(metric("association_rules", "holdout_confidence")).toBe(1);
    expect(metric("consequent_base_rate", "holdout_confidence")).toBeCloseTo(0.5, 12);
    expect(metric("association_rules", "holdout_lift")).toBeCloseTo(2, 12);
  });
});

function basketInput(lists: number[][], itemCount: number, days = lists.map((_, t) => t)) {
  const base = transactions(lists, itemCount);
  return {
    ...base,
    invoiceCountry: new Int32Array(lists.length),
    invoiceDay: Int32Array.from(days),
    countries: ["United Kingdom"],
    stockCodes: Array.from({length: itemCount}, (_, i) => `P${i}`),
    descriptions: Array.from({length: itemCount}, (_, i) => `PRODUCT ${i}`)
  };
}

describe("too little data", () => {
  it("returns nothing and says so when there are no invoices", () => {
    const result = analyseBaskets({
      offsets: Int32Array.from([0]),
      items: new Int32Array(0),
      itemCount: 0,
      invoiceCountry: new Int32Array(0),
      invoiceDay: new Int32Array(0),
      countries: [],
      stockCodes: [],
      descriptions: []
    });
    expect(result.itemsets).toEqual([]);
    expect(result.metrics.map((row) => [row.metric, row.details])).toEqual([
      ["not_fitted", "No invoices: a bundle needs products bought together in at least 5 invoices."]
    ]);
  });

  it("says why when no rule reaches the minimum", () => {
    // Ten invoices of distinct products: nothing is bought together.
    const result = analyseBaskets(
      basketInput(
        Array.from({length: 10}, (_, t) => [2 * t, 2 * t + 1]),
        20
      )
    );
    expect(result.rules).toEqual([]);
    expect(result.metrics[0]).toMatchObject({
      metric: "not_fitted",
      details: "No products are bought together often enough: no rule reaches 50% confidence among itemsets in at least 5 of the 10 invoices."
    });
  });
});

describe("bounded mining", () => {
  // Two large invoices sharing 40 products among 30 small ones: at 2% support "frequent" would mean in 1
  // invoice, and the two share 2^40 itemsets. The absolute minimum (5 invoices) makes it nothing.
  const small = Array.from({length: 30}, (_, t) => [40 + (t % 7), 40 + ((t * 3) % 11)]);
  const shared = Array.from({length: 40}, (_, i) => i);

  it("needs an absolute number of invoices, whatever the share", () => {
    const result = analyseBaskets(basketInput([...small, shared, shared], 60));
    expect(result.itemsets.filter((row) => row.stock_codes.split(", ").some((code) => Number(code.slice(1)) < 40))).toEqual([]);
    const limit = result.metrics.find((row) => row.metric === "min_invoices")!;
    expect(limit).toMatchObject({
      value: 5,
      split: "scope: All countries (32 invoices)",
      details: "Itemsets in at least 5 invoices (the minimum; 2% of 32 invoices would be 1), of at most 4 products."
    });
  });

  it("caps the itemsets kept by raising the minimum count, deterministically", () => {
    // Six copies of the 40 shared products: C(40, 1..4) = 102,090 itemsets in 6 invoices at the minimum of 5.
    const lists = [...small, ...Array.from({length: 6}, () => shared)];
    const mined = mineBounded(transactions(lists, 60), {minSupport: 0.02, minInvoices: 5, maxSize: 4, maxItemsets: 2000});
    // 5 → 8 (> 6 copies): only the small invoices' products can still qualify.
    expect(mined.minCount).toBe(8);
    expect(mined.itemsets.every((itemset) => itemset.items.every((item) => item >= 40))).toBe(true);
    expect(mined.limits).toBe("Itemsets in at least 8 invoices, raised from 5 to keep at most 2000 itemsets, of at most 4 products.");
    // Within the cap the result is exactly the brute-force answer at that count, sizes ≤ 4.
    const expected = [...bruteForceItemsets(lists, 8)].filter(([key]) => key.split(",").length <= 4);
    expect(asMap(mined.itemsets)).toEqual(new Map(expected));
    expect(mineBounded(transactions(lists, 60), {minSupport: 0.02, minInvoices: 5, maxSize: 4, maxItemsets: 2000})).toEqual(mined);
  });

  it("stops FP-growth past maxItemsets and limits itemset size", () => {
    const lists = Array.from({length: 5}, () => Array.from({length: 12}, (_, i) => i));
    expect(() => fpGrowth(transactions(lists), {minSupport: 0.5, maxItemsets: 100})).toThrow(ItemsetLimitError);
    // C(12,1) + C(12,2) + C(12,3) = 12 + 66 + 220.
    expect(fpGrowth(transactions(lists), {minSupport: 0.5, maxSize: 3})).toHaveLength(298);
    expect(() => fpGrowth(transactions(lists), {minCount: 0})).toThrow("invalid minCount; not a positive integer: 0");
  });
});
