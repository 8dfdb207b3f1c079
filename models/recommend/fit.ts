import {notEvaluatedRow, notFittedRow, type MetricRow, type Role} from "../metrics.js";
import {precisionRecallAtK, type RankingScore} from "./evaluate.js";
import {boughtBetween, checkPurchases, rowSet, type Purchases} from "./history.js";
import {mulberry32, shuffle} from "../random.js";
import {DEFAULT_CATALOGUE, MODES, Ranker, type BlendWeights, type Mode, type RankMethod} from "./rank.js";
import {transpose, type Csr} from "./sparse.js";
import {computeSignals, type SignalOptions, type Signals} from "./signals.js";

/**
 * Product recommendations: implicit ALS blended with the customer's own history and what sells now.
 * The blend's weights are chosen on a validation window before the test window; every method is then
 * scored on the last `testDays` (trained on everything before), and the published lists are built from
 * all the data. Runs in a worker (`inWorker`).
 */

export interface RecommendInput extends Purchases {
  /** Customer number of each customer index. */
  customerIds: ArrayLike<number>;
  /** Stock code and description of each product index. */
  stockCodes: readonly string[];
  descriptions: readonly (string | null)[];
}

export interface RecommendOptions {
  /** Recommendations per customer and mode (and the k of precision@k). Default: 10. */
  k?: number;
  /** Test window: the last this many days of the data. Default: 30. */
  testDays?: number;
  /** Validation window (weights are tuned on it): the this many days before the test window. Default: 30. */
  validationDays?: number;
  /** Weights tried for the popularity and ALS terms of the blend. Default: 0, 0.1, 0.3, 1. */
  weightGrid?: readonly number[];
  /** Signals: half-life, popularity and repeat windows, ALS settings (seeded). */
  signals?: SignalOptions;
  /** Products the ALS term scores for every customer when there are more (see DEFAULT_CATALOGUE). Default: 5000. */
  catalogue?: number;
  /**
   * Most customers the validation and test windows are scored on: above it, a seeded random sample of this
   * many (precision@k is a mean over customers; 5,000 pin it to about ±0.01). Default: 5000.
   */
  maxEvaluationCustomers?: number;
  /** Seed of that sample. Default: 42. */
  seed?: number;
}

export const DEFAULT_RECOMMEND_OPTIONS = {
  k: 10,
  testDays: 30,
  validationDays: 30,
  weightGrid: [0, 0.1, 0.3, 1],
  catalogue: DEFAULT_CATALOGUE,
  maxEvaluationCustomers: 5000,
  seed: 42
} as const;

/**
 * The published lists, one entry per customer, mode and rank, as columns (typed arrays clone and write
 * fast; the stage turns them into text with SQL). Indexes refer to the input's customers and products.
 */
export interface RecommendationLists {
  user: Int32Array;
  /** 0 buy_again, 1 discover. */
  mode: Uint8Array;
  rank: Int32Array;
  item: Int32Array;
  score: Float64Array;
  /** Why: 0 bought before ("bought N times, last on D"), 1 often bought with `related`, 2 liked by similar customers, 3 popular now. */
  reason: Uint8Array;
  /** Reason 0: purchase days and the last one (day number). */
  times: Int32Array;
  lastDay: Int32Array;
  /** Reason 1: the customer's product it goes with (−1 otherwise), and how many customers bought both. */
  related: Int32Array;
  common: Int32Array;
  /** Reason 3: customers who bought it in the last `popularityDays`. */
  recentBuyers: Int32Array;
  popularityDays: number;
}

export const REASONS = ["bought", "often_bought_with", "similar_customers", "popular_now"] as const;

export interface RecommendResult {
  lists: RecommendationLists;
  metrics: MetricRow[];
  weights: Record<Mode, BlendWeights>;
  windows: {validationStart: string; testStart: string; lastDay: string};
}

const METHODS: {method: RankMethod; role: Role; description: string}[] = [
  {method: "popularity", role: "baseline", description: "the products most customers bought"},
  {method: "recent_popularity", role: "baseline", description: "the products most customers bought in the last 30 days"},
  {method: "most_bought", role: "baseline", description: "the customer's own most-bought products (most purchase days)"},
  {method: "own_history", role: "candidate", description: "the customer's own products, recency-weighted × the product's repeat rate"},
  {method: "als", role: "candidate", description: "implicit ALS alone"},
  {method: "blend", role: "published", description: "own history + recent popularity + ALS, weights tuned on the validation window"}
];

const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

export function recommend(input: RecommendInput, options: RecommendOptions = {}): RecommendResult {
  const {k, testDays, validationDays, weightGrid, signals: signalOptions, catalogue, maxEvaluationCustomers, seed} = {...DEFAULT_RECOMMEND_OPTIONS, ...options};
  for (const [name, value] of [
    ["k", k],
    ["testDays", testDays],
    ["validationDays", validationDays],
    ["catalogue", catalogue],
    ["maxEvaluationCustomers", maxEvaluationCustomers]
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`invalid ${name}; not a positive integer: ${value}`);
  }
  checkPurchases(input);
  if (input.day.length === 0) {
    const metrics: MetricRow[] = [
      notFittedRow("recommendations", "No purchases by identified customers (lines without a customer id cannot be attributed): nothing to recommend from.")
    ];
    return {
      lists: emptyLists(),
      metrics,
      weights: {buy_again: {popularity: 0, als: 0}, discover: {popularity: 0, als: 0}},
      windows: {validationStart: "", testStart: "", lastDay: ""}
    };
  }
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const value of input.day) lastDay = Math.max(lastDay, value);
  const testStart = lastDay - testDays + 1;
  const validationStart = testStart - validationDays;

  // 1. Choose the blend's weights on the validation window (trained before it; the test window unseen).
  const validation = computeSignals(input, validationStart, signalOptions);
  const sample = {size: maxEvaluationCustomers, seed};
  const validationSplit = evaluationSplit(input, validation, validationStart, testStart, sample);
  const grid = MODES.flatMap((mode) =>
    weightGrid.flatMap((popularity) => weightGrid.map((als) => ({method: "blend" as const, mode, weights: {popularity, als}})))
  );
  const tuning = evaluateMany(validation, validationSplit, grid, k, catalogue);
  const weights = {} as Record<Mode, BlendWeights>;
  for (const mode of MODES) {
    // The best precision@k; ties go to the earlier (smaller) weights (the first when nothing can be measured).
    weights[mode] = grid.find((config) => config.mode === mode)!.weights;
    let best = -1;
    grid.forEach((config, index) => {
      if (config.mode === mode && tuning[index].precision > best) {
        best = tuning[index].precision;
        weights[mode] = config.weights;
      }
    });
  }

  // 2. Score every method on the test window, trained on everything before it.
  const test = computeSignals(input, testStart, signalOptions, validation);
  const testSplit = evaluationSplit(input, test, testStart, lastDay + 1, sample);
  // In discover mode the customer's own products are excluded, so the own-history methods say nothing there.
  const configs = MODES.flatMap((mode) =>
    METHODS.filter((entry) => mode === "buy_again" || !["most_bought", "own_history"].includes(entry.method)).map((entry) => ({
      ...entry,
      mode,
      weights: weights[mode]
    }))
  );
  const windows = {validationStart: day(validationStart), testStart: day(testStart), lastDay: day(lastDay)};
  if (testSplit.users.length === 0) {
    const lists = publishLists(input, computeSignals(input, lastDay + 1, signalOptions, test), weights, k, catalogue);
    const why = `no customer bought both before ${day(testStart)} and in the last ${testDays} days (${day(testStart)} to ${day(lastDay)}), so there is nothing to test the lists on yet`;
    return {lists, metrics: [notEvaluatedRow("recommendations", "blend", `Not evaluated: ${why}.`)], weights, windows};
  }
  const scores = evaluateMany(test, testSplit, configs, k, catalogue);
  const metrics: MetricRow[] = [];
  const sampled =
    testSplit.eligible > testSplit.users.length
      ? `; a seeded sample of ${testSplit.users.length} of the ${testSplit.eligible} customers buying in both`
      : " (customers buying in both)";
  const split = `time: trained on purchases before ${day(testStart)}, tested on ${day(testStart)} to ${day(lastDay)}${sampled}`;
  for (const mode of MODES) {
    const results = configs.map((config, index) => ({...config, ...scores[index]})).filter((result) => result.mode === mode);
    const baselines = results.filter((result) => result.role === "baseline");
    const bestBaseline = baselines.reduce((best, result) => (result.precision > best.precision ? result : best));
    for (const result of results) {
      const verdict =
        result.role === "baseline"
          ? "Baseline."
          : `${result.precision > bestBaseline.precision ? "Beats" : "Does not beat"} the best baseline, ${bestBaseline.method} (precision@${k} ${bestBaseline.precision.toFixed(3)}).`;
      const tuned =
        result.method === "blend"
          ? ` Weights tuned on ${day(validationStart)} to ${day(testStart - 1)}: popularity ${weights[mode].popularity}, ALS ${weights[mode].als}.`
          : "";
      const common = {model: "recommendations", method: `${result.method}:${mode}`, role: result.role, split, n: result.users};
      const what = mode === "buy_again" ? "any product" : "only products the customer never bought";
      metrics.push({...common, metric: `precision_at_${k}`, value: result.precision, details: `${result.description}; ${what}. ${verdict}${tuned}`});
      metrics.push({...common, metric: `recall_at_${k}`, value: result.recall, details: `${result.description}; ${what}.`});
    }
  }

  // 3. The published lists, from all the data.
  const final = computeSignals(input, lastDay + 1, signalOptions, test);
  const lists = publishLists(input, final, weights, k, catalogue);
  return {lists, metrics, weights, windows};
}

interface EvaluationSplit {
  users: number[];
  /** Customers buying before and in the window (users is all of them or a sample). */
  eligible: number;
  /** Per evaluated customer (sparse by customer index): what they bought in the window, and what was new to them. */
  relevant: Record<Mode, Set<number>[]>;
}

/**
 * Customers who bought before `from` and in [from, to) (or a seeded sample of `sample.size` of them); what
 * they bought there, and what was new to them.
 */
function evaluationSplit(purchases: Purchases, signals: Signals, from: number, to: number, sample: {size: number; seed: number}): EvaluationSplit {
  const later = boughtBetween(purchases, from, to);
  const eligible: number[] = [];
  for (let user = 0; user < purchases.users; user++) {
    if (signals.profile.active[user] && later.offsets[user + 1] > later.offsets[user]) eligible.push(user);
  }
  const users =
    eligible.length <= sample.size
      ? eligible
      : shuffle([...eligible], mulberry32(sample.seed))
          .slice(0, sample.size)
          .sort((a, b) => a - b);
  const relevant: Record<Mode, Set<number>[]> = {buy_again: [], discover: []};
  for (const user of users) {
    const before = rowSet(signals.profile.counts, user);
    relevant.buy_again[user] = rowSet(later, user);
    relevant.discover[user] = new Set([...relevant.buy_again[user]].filter((item) => !before.has(item)));
  }
  return {users, eligible: eligible.length, relevant};
}

interface RankConfig {
  method: RankMethod;
  mode: Mode;
  weights: BlendWeights;
}

/** Precision and recall at k of several configurations, loading each customer once. */
function evaluateMany(signals: Signals, split: EvaluationSplit, configs: readonly RankConfig[], k: number, catalogue: number): RankingScore[] {
  const ranker = new Ranker(signals, catalogue);
  const lists = configs.map(() => new Map<number, number[]>());
  for (const user of split.users) {
    ranker.load(user);
    configs.forEach((config, index) => lists[index].set(user, ranker.rank(config.method, config.mode, k, config.weights).items));
  }
  return configs.map((config, index) => precisionRecallAtK(lists[index], split.relevant[config.mode], k));
}

function emptyLists(count = 0, popularityDays = 30): RecommendationLists {
  return {
    user: new Int32Array(count),
    mode: new Uint8Array(count),
    rank: new Int32Array(count),
    item: new Int32Array(count),
    score: new Float64Array(count),
    reason: new Uint8Array(count),
    times: new Int32Array(count),
    lastDay: new Int32Array(count),
    related: new Int32Array(count).fill(-1),
    common: new Int32Array(count),
    recentBuyers: new Int32Array(count),
    popularityDays
  };
}

function publishLists(input: RecommendInput, signals: Signals, weights: Record<Mode, BlendWeights>, k: number, catalogue: number): RecommendationLists {
  const ranker = new Ranker(signals, catalogue);
  const {counts, lastDay} = signals.profile;
  const byItem = transpose(counts);
  const norms = itemNorms(signals);
  let active = 0;
  for (const flag of signals.profile.active) active += flag;
  const lists = emptyLists(active * MODES.length * k, signals.popularityDays);
  let at = 0;
  for (let user = 0; user < input.users; user++) {
    if (!signals.profile.active[user]) continue;
    ranker.load(user);
    MODES.forEach((mode, modeIndex) => {
      const ranked = ranker.rank("blend", mode, k, weights[mode]);
      ranked.items.forEach((item, position) => {
        const [, popular, als] = ranked.parts[position];
        lists.user[at] = user;
        lists.mode[at] = modeIndex;
        lists.rank[at] = position + 1;
        lists.item[at] = item;
        lists.score[at] = ranked.scores[position];
        const entry = find(counts, user, item);
        if (entry >= 0) {
          lists.reason[at] = 0;
          lists.times[at] = counts.values[entry];
          lists.lastDay[at] = lastDay.values[entry];
        } else if (als >= popular) {
          const related = closestOwned(signals, norms, counts, user, item);
          const both = related === null ? 0 : commonBuyers(byItem, item, related);
          if (related !== null && both > 0) {
            lists.reason[at] = 1;
            lists.related[at] = related;
            lists.common[at] = both;
          } else lists.reason[at] = 2;
        } else {
          lists.reason[at] = 3;
          lists.recentBuyers[at] = signals.recentBuyers[item];
        }
        at++;
      });
    });
  }
  // Lists can be shorter than k (only products someone bought are recommended).
  const trim = <A extends Int32Array | Uint8Array | Float64Array>(array: A) => array.slice(0, at) as A;
  return {
    user: trim(lists.user),
    mode: trim(lists.mode),
    rank: trim(lists.rank),
    item: trim(lists.item),
    score: trim(lists.score),
    reason: trim(lists.reason),
    times: trim(lists.times),
    lastDay: trim(lists.lastDay),
    related: trim(lists.related),
    common: trim(lists.common),
    recentBuyers: trim(lists.recentBuyers),
    popularityDays: lists.popularityDays
  };
}

function find(matrix: Csr, row: number, column: number): number {
  let low = matrix.offsets[row];
  let high = matrix.offsets[row + 1] - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const value = matrix.columns[mid];
    if (value === column) return mid;
    if (value < column) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** Euclidean norm of every ALS item vector. */
function itemNorms(signals: Signals): Float64Array {
  const {itemFactors, factors: f, items} = signals.als;
  const norms = new Float64Array(items);
  for (let i = 0; i < items; i++) {
    let sum = 0;
    for (let j = 0; j < f; j++) sum += itemFactors[i * f + j] ** 2;
    norms[i] = Math.sqrt(sum) || 1;
  }
  return norms;
}

/** The product the customer bought whose ALS item vector is closest (cosine) to `item`'s. */
function closestOwned(signals: Signals, norms: Float64Array, counts: Csr, user: number, item: number): number | null {
  const {itemFactors, factors: f} = signals.als;
  let best: number | null = null;
  let bestSim = Number.NEGATIVE_INFINITY;
  for (let e = counts.offsets[user]; e < counts.offsets[user + 1]; e++) {
    const other = counts.columns[e];
    let dot = 0;
    for (let j = 0; j < f; j++) dot += itemFactors[item * f + j] * itemFactors[other * f + j];
    const sim = dot / (norms[item] * norms[other]);
    if (sim > bestSim) {
      bestSim = sim;
      best = other;
    }
  }
  return best;
}

/** Customers who bought both products (sorted-list intersection). */
function commonBuyers(byItem: Csr, a: number, b: number): number {
  let i = byItem.offsets[a];
  let j = byItem.offsets[b];
  const endA = byItem.offsets[a + 1];
  const endB = byItem.offsets[b + 1];
  let count = 0;
  while (i < endA && j < endB) {
    const x = byItem.columns[i];
    const y = byItem.columns[j];
    if (x === y) {
      count++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return count;
}
