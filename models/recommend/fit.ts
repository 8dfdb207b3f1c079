import {notEvaluatedRow, notFittedRow, type MetricRow, type Role} from "../metrics.js";
import type {Fitted} from "../dialect.js";
import {precisionRecallAtK, type RankingScore} from "./evaluate.js";
import {boughtBetween, checkPurchases, rowSet, type Purchases} from "./history.js";
import {mulberry32, shuffle} from "../random.js";
import {MODES, Ranker, SHORTLIST, type BlendWeights, type Mode, type RankMethod} from "./rank.js";
import {recommendOptions, type RecommendOptions} from "./options.js";
import {computeSignals, type Signals} from "./signals.js";

/**
 * Fitting the recommender: implicit ALS blended with the customer's own history and what sells now. The
 * blend's weights are chosen on a validation window before the test window; every method is then scored
 * on the last `testDays` (trained on everything before); the published factors come from all the fit's
 * data. Scoring (./score.ts) applies them to today's purchases.
 */

/** Purchases with the customer number and stock code of each index (of the fit window, or of today). */
export interface RecommendData extends Purchases {
  customerIds: ArrayLike<number>;
  stockCodes: readonly string[];
}

/** What a fit keeps: plain data, indexes are the fit's customers and products. */
export interface RecommendArtefact {
  /** Customer number and stock code of each of the fit's indexes. */
  customerIds: Int32Array;
  stockCodes: string[];
  /** The last day of purchases the fit saw (day number), or −1 when it saw none. */
  lastDay: number;
  factors: number;
  /** Row-major customers × factors and products × factors. */
  userFactors: Float64Array;
  itemFactors: Float64Array;
  /** Per customer: their top SHORTLIST products by ALS (−1 padded) and the scale of their ALS scores (AlsViews). */
  shortlist: Int32Array;
  scale: Float64Array;
  /** Per product: in the catalogue the ALS term scored for everyone. */
  catalogue: Uint8Array;
  weights: Record<Mode, BlendWeights>;
  options: Required<RecommendOptions>;
}

export const REASONS = ["bought", "often_bought_with", "similar_customers", "popular_now"] as const;

const METHODS: {method: RankMethod; role: Role; description: string}[] = [
  {method: "popularity", role: "baseline", description: "the products most customers bought"},
  {method: "recent_popularity", role: "baseline", description: "the products most customers bought in the last 30 days"},
  {method: "most_bought", role: "baseline", description: "the customer's own most-bought products (most purchase days)"},
  {method: "own_history", role: "candidate", description: "the customer's own products, recency-weighted × the product's repeat rate"},
  {method: "als", role: "candidate", description: "implicit ALS alone"},
  {method: "blend", role: "published", description: "own history + recent popularity + ALS, weights tuned on the validation window"}
];

const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

export function fitRecommendations(data: RecommendData, partial?: Partial<RecommendOptions>): Fitted<RecommendArtefact> {
  const options = recommendOptions(partial);
  const {k, testDays, validationDays, weightGrid, catalogue, maxEvaluationCustomers, sampleSeed} = options;
  checkPurchases(data);
  if (data.customerIds.length !== data.users || data.stockCodes.length !== data.items) {
    throw new Error(
      `recommendations: ${data.customerIds.length} customer ids for ${data.users} customers, ${data.stockCodes.length} stock codes for ${data.items} products`
    );
  }
  const defaultWeights = {buy_again: {popularity: 0, als: 0}, discover: {popularity: 0, als: 0}};
  if (data.day.length === 0) {
    return {
      artefact: emptyArtefact(options, defaultWeights),
      metrics: [
        notFittedRow("recommendations", "No purchases by identified customers (lines without a customer id cannot be attributed): nothing to recommend from.")
      ]
    };
  }
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const value of data.day) lastDay = Math.max(lastDay, value);
  const testStart = lastDay - testDays + 1;
  const validationStart = testStart - validationDays;

  // 1. Choose the blend's weights on the validation window (trained before it; the test window unseen).
  const validation = computeSignals(data, validationStart, options);
  const sample = {size: maxEvaluationCustomers, seed: sampleSeed};
  const validationSplit = evaluationSplit(data, validation, validationStart, testStart, sample);
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
  const test = computeSignals(data, testStart, options, validation);
  const testSplit = evaluationSplit(data, test, testStart, lastDay + 1, sample);
  // 3. The published factors, from all the fit's data.
  const artefact = finalArtefact(data, computeSignals(data, lastDay + 1, options, test), weights, options);
  if (testSplit.users.length === 0) {
    const why = `no customer bought both before ${day(testStart)} and in the last ${testDays} days (${day(testStart)} to ${day(lastDay)}), so there is nothing to test the lists on yet`;
    return {artefact, metrics: [notEvaluatedRow("recommendations", "blend", `Not evaluated: ${why}.`)]};
  }
  // In discover mode the customer's own products are excluded, so the own-history methods say nothing there.
  const configs = MODES.flatMap((mode) =>
    METHODS.filter((entry) => mode === "buy_again" || !["most_bought", "own_history"].includes(entry.method)).map((entry) => ({
      ...entry,
      mode,
      weights: weights[mode]
    }))
  );
  const scores = evaluateMany(test, testSplit, configs, k, catalogue);
  const sampled =
    testSplit.eligible > testSplit.users.length
      ? `; a seeded sample of ${testSplit.users.length} of the ${testSplit.eligible} customers buying in both`
      : " (customers buying in both)";
  const split = `time: trained on purchases before ${day(testStart)}, tested on ${day(testStart)} to ${day(lastDay)}${sampled}`;
  const results = configs.map((config, index) => ({...config, ...scores[index]}));
  return {artefact, metrics: metricRows(results, weights, {k, split, tunedOn: `${day(validationStart)} to ${day(testStart - 1)}`})};
}

/** The `recommendations_metrics` rows: precision and recall at k of every method and mode, with verdicts against the best baseline. */
function metricRows(
  results: readonly (RankingScore & {method: RankMethod; role: Role; description: string; mode: Mode})[],
  weights: Record<Mode, BlendWeights>,
  {k, split, tunedOn}: {k: number; split: string; tunedOn: string}
): MetricRow[] {
  const metrics: MetricRow[] = [];
  for (const mode of MODES) {
    const ofMode = results.filter((result) => result.mode === mode);
    const baselines = ofMode.filter((result) => result.role === "baseline");
    const bestBaseline = baselines.reduce((best, result) => (result.precision > best.precision ? result : best));
    for (const result of ofMode) {
      const verdict =
        result.role === "baseline"
          ? "Baseline."
          : `${result.precision > bestBaseline.precision ? "Beats" : "Does not beat"} the best baseline, ${bestBaseline.method} (precision@${k} ${bestBaseline.precision.toFixed(3)}).`;
      const tuned = result.method === "blend" ? ` Weights tuned on ${tunedOn}: popularity ${weights[mode].popularity}, ALS ${weights[mode].als}.` : "";
      const common = {model: "recommendations", method: `${result.method}:${mode}`, role: result.role, split, n: result.users};
      const what = mode === "buy_again" ? "any product" : "only products the customer never bought";
      metrics.push({...common, metric: `precision_at_${k}`, value: result.precision, details: `${result.description}; ${what}. ${verdict}${tuned}`});
      metrics.push({...common, metric: `recall_at_${k}`, value: result.recall, details: `${result.description}; ${what}.`});
    }
  }
  return metrics;
}

function emptyArtefact(options: Required<RecommendOptions>, weights: Record<Mode, BlendWeights>): RecommendArtefact {
  return {
    customerIds: new Int32Array(0),
    stockCodes: [],
    lastDay: -1,
    factors: options.factors,
    userFactors: new Float64Array(0),
    itemFactors: new Float64Array(0),
    shortlist: new Int32Array(0),
    scale: new Float64Array(0),
    catalogue: new Uint8Array(0),
    weights,
    options
  };
}

/** The fit's factors and every customer's ALS view (shortlist and scale), so scoring ranks candidates only. */
function finalArtefact(data: RecommendData, signals: Signals, weights: Record<Mode, BlendWeights>, options: Required<RecommendOptions>): RecommendArtefact {
  const ranker = new Ranker(signals, options.catalogue);
  const shortlist = new Int32Array(data.users * SHORTLIST).fill(-1);
  const scale = new Float64Array(data.users);
  for (let user = 0; user < data.users; user++) {
    if (!signals.profile.active[user]) continue;
    ranker.load(user);
    const view = ranker.alsView();
    shortlist.set(view.shortlist, user * SHORTLIST);
    scale[user] = view.scale;
  }
  return {
    customerIds: Int32Array.from(data.customerIds),
    stockCodes: [...data.stockCodes],
    lastDay: signals.cutoffDay - 1,
    factors: signals.als.factors,
    userFactors: signals.als.userFactors,
    itemFactors: signals.als.itemFactors,
    shortlist,
    scale,
    catalogue: ranker.catalogueFlags(),
    weights,
    options
  };
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
