import {dot, packRows, scoreRows, scoreSomeItems} from "./als.js";
import {topK} from "./evaluate.js";
import type {Signals} from "./signals.js";
import {transpose, type Csr} from "./sparse.js";

/**
 * Ranking one customer's products. "buy_again" may recommend products the customer already bought;
 * "discover" only products they never bought.
 */
export type Mode = "buy_again" | "discover";

export const MODES: readonly Mode[] = ["buy_again", "discover"];

/** Scoring methods: three baselines, two single-signal candidates, and the published blend. */
export type RankMethod = "popularity" | "recent_popularity" | "most_bought" | "own_history" | "als" | "blend";

/**
 * The blend: own history (recency-weighted purchase days × the product's repeat rate, scaled so the
 * customer's top product scores 1) + popularity·(recent popularity, 0–1) + als·(ALS score scaled so the
 * customer's best scores 1). In discover mode the own-history term is zero by definition.
 */
export interface BlendWeights {
  popularity: number;
  als: number;
}

export interface Ranked {
  items: number[];
  scores: number[];
  /** Per item: the own-history, popularity and ALS terms of its score. */
  parts: [number, number, number][];
}

/** Candidates from each single signal that the blend looks at first (see `rank`). */
export const SHORTLIST = 50;

/**
 * A fit's ALS view of every customer, in today's customer and product indexes, so that scoring a customer
 * computes ALS scores for their candidates only (not for the whole catalogue).
 */
export interface AlsViews {
  /** Per customer: 1 when the fit has factors for them; 0 for a customer new since the fit (co-purchases stand in for ALS). */
  factored: Uint8Array;
  /** customers × SHORTLIST: the customer's top products by ALS over the fit's catalogue, best first, −1 padded. */
  shortlist: Int32Array;
  /** Per customer: the largest |ALS score| over the fit's catalogue and their own products then (ALS scores are divided by it). */
  scale: Float64Array;
  /** Per product: 1 when the fit's catalogue held it. */
  catalogue: Uint8Array;
}

/**
 * Products the ALS term scores for every customer, when there are more: the most popular ones (plus the
 * recent-popularity leaders and the customer's own products). Scoring every product for every customer
 * costs customers × products, which grows with the square of the data; this keeps it linear. The shipped
 * data has 3,798 products, all scored.
 */
export const DEFAULT_CATALOGUE = 5000;

/**
 * Ranks many customers with reused buffers. Only products someone bought before the cut-off are ever
 * recommended (nothing is known about the others), so a list can be shorter than k. Every score carries
 * a tiny tie-breaker (overall popularity), so rankings are deterministic. The blend is exact but fast: it scores the customer's own products plus
 * the top SHORTLIST products by ALS and by recent popularity, and scans everything only when a product
 * outside that shortlist could still reach the top k (threshold algorithm).
 */
export class Ranker {
  readonly alsScores: Float64Array;
  readonly own: Float64Array;
  readonly counts: Float64Array;
  readonly bought: Uint8Array;
  readonly tie: Float64Array;
  private readonly byPopularity: number[];
  private readonly byRecentPopularity: number[];
  private ownItems: number[] = [];
  private loadedUser = -1;
  private alsShortlist: number[] = [];
  private readonly total: Float64Array;
  /** 1: a shortlist candidate of the current blendTop; 2: also given an ALS score by its fallback. */
  private readonly mark: Uint8Array;
  private readonly neededBuffer: Int32Array;
  /** Scores of a shortlist's candidates (at most every product once), for topK. */
  private readonly candidateValues: Float64Array;
  /** The products scored for everyone (ascending), and a flag per product. */
  private readonly catalogue: Int32Array;
  private readonly inCatalogue: Uint8Array;
  /** The catalogue is every product (0, 1, 2, …): a position in it is the product. */
  private readonly wholeCatalogue: boolean;
  /** The products scored for the loaded customer: the catalogue and their own products outside it. */
  private scored: Int32Array;
  /** Holds `scored` when the customer owns products outside the catalogue (reused: one allocation, not one per customer). */
  private readonly scoredBuffer: Int32Array;
  private readonly scoredValues: Float64Array;
  /** The catalogue's ALS item factors packed in catalogue order (made on first use), and a buffer for their scores. */
  private catalogueRows: Float64Array | null = null;
  private readonly catalogueValues: Float64Array;

  /** The loaded customer's ALS scores are known for their candidates only (views); a full scan computes the rest. */
  private partial = false;
  private scale = 1;
  /** Products in today's catalogue with factors that the fit's catalogue lacked: scored for every customer (views). */
  private readonly extra: Int32Array;
  private byItemMatrix: Csr | null = null;
  private readonly overlap: Float64Array;
  private readonly coSums: Float64Array;
  /** The loaded customer has no factors: the ALS term holds their co-purchase scores (see `load`). */
  coPurchase = false;

  /**
   * @param catalogueSize see DEFAULT_CATALOGUE
   * @param views a fit's precomputed ALS views (scoring); without them every customer's ALS scores are computed in full
   */
  constructor(
    readonly signals: Signals,
    catalogueSize: number = DEFAULT_CATALOGUE,
    private readonly views?: AlsViews
  ) {
    if (!Number.isInteger(catalogueSize) || catalogueSize < 1) throw new Error(`invalid catalogueSize; not a positive integer: ${catalogueSize}`);
    const items = signals.als.items;
    this.alsScores = new Float64Array(items);
    this.own = new Float64Array(items);
    this.counts = new Float64Array(items);
    this.bought = new Uint8Array(items);
    this.total = new Float64Array(items);
    this.mark = new Uint8Array(items);
    this.neededBuffer = new Int32Array(items);
    this.candidateValues = new Float64Array(items + SHORTLIST);
    this.tie = signals.popularity.map((value) => value * 1e-12);
    const order = (score: (item: number) => number) => Array.from({length: items}, (_, item) => item).sort((a, b) => score(b) - score(a) || a - b);
    this.byPopularity = order((item) => signals.popularity[item]);
    this.byRecentPopularity = order((item) => signals.recentPopularity[item] + this.tie[item]);
    this.inCatalogue = new Uint8Array(items);
    if (items <= catalogueSize) this.inCatalogue.fill(1);
    else {
      for (const item of this.byPopularity.slice(0, catalogueSize)) this.inCatalogue[item] = 1;
      for (const item of this.byRecentPopularity.slice(0, SHORTLIST)) this.inCatalogue[item] = 1;
    }
    this.catalogue = Int32Array.from({length: items}, (_, item) => item).filter((item) => this.inCatalogue[item] === 1);
    this.wholeCatalogue = this.catalogue.length === items;
    this.scored = this.catalogue;
    this.scoredBuffer = new Int32Array(items);
    this.catalogueValues = new Float64Array(this.catalogue.length);
    this.scoredValues = new Float64Array(items);
    const {itemFactors, factors} = signals.als;
    const hasFactors = (item: number) => itemFactors.subarray(item * factors, item * factors + factors).some((value) => value !== 0);
    this.extra = views ? this.catalogue.filter((item) => !views.catalogue[item] && hasFactors(item)) : new Int32Array(0);
    this.overlap = new Float64Array(views ? signals.profile.active.length : 0);
    this.coSums = new Float64Array(views ? items : 0);
  }

  /** Per product: 1 when the ALS term scores it for every customer. */
  catalogueFlags(): Uint8Array {
    return this.inCatalogue.slice();
  }

  /** Who bought each product (customers ascending), from the history the ranker was given. */
  get byItem(): Csr {
    this.byItemMatrix ??= transpose(this.signals.profile.counts);
    return this.byItemMatrix;
  }

  /** Loads the customer's own history and ALS scores; call before `rank` for that customer. */
  load(user: number): void {
    const {profile, repeatRate, als} = this.signals;
    this.loadedUser = user;
    for (const item of this.ownItems) {
      this.own[item] = 0;
      this.counts[item] = 0;
      this.bought[item] = 0;
      if (!this.inCatalogue[item]) this.alsScores[item] = 0;
    }
    const {offsets, columns, values} = profile.decayed;
    this.ownItems = Array.from(columns.subarray(offsets[user], offsets[user + 1]));
    let top = 0;
    for (let k = offsets[user]; k < offsets[user + 1]; k++) {
      const value = values[k] * repeatRate[columns[k]];
      this.own[columns[k]] = value;
      this.counts[columns[k]] = profile.counts.values[k];
      this.bought[columns[k]] = 1;
      top = Math.max(top, value);
    }
    if (top > 0) for (const item of this.ownItems) this.own[item] /= top;
    const outside = this.ownItems.filter((item) => !this.inCatalogue[item]);
    this.scored =
      outside.length === 0
        ? this.catalogue
        : mergeSorted(
            this.catalogue,
            outside.sort((a, b) => a - b),
            this.scoredBuffer
          );
    const scored = this.scored;
    const views = this.views;
    this.coPurchase = views !== undefined && views.factored[user] === 0;
    this.partial = false;
    if (this.coPurchase) {
      this.coPurchaseScores(user);
      const scoredAls = this.scoredValues;
      for (let i = 0; i < scored.length; i++) scoredAls[i] = this.alsScores[scored[i]];
      this.alsShortlist = topK(scoredAls.subarray(0, scored.length), SHORTLIST).map((i) => scored[i]);
    } else if (views) {
      // The fit's shortlist and scale: ALS scores of the candidates only (own products, shortlist, what sells now).
      this.partial = true;
      this.scale = views.scale[user] > 0 ? views.scale[user] : 1;
      const shortlist = Array.from(views.shortlist.subarray(user * SHORTLIST, user * SHORTLIST + SHORTLIST)).filter((item) => item >= 0);
      const candidates = [...shortlist, ...this.extra];
      this.scoreAls(user, candidates);
      this.scoreAls(user, this.ownItems);
      this.scoreAls(user, this.byRecentPopularity.slice(0, SHORTLIST));
      const values = this.candidateValues;
      for (let i = 0; i < candidates.length; i++) values[i] = this.alsScores[candidates[i]];
      this.alsShortlist = topK(values.subarray(0, candidates.length), SHORTLIST).map((i) => candidates[i]);
    } else {
      // The hot loop of a fit (every customer × the catalogue): the catalogue from its packed rows, then the
      // customer's own products outside it (if any) merged in, in `scored` order.
      const {factors, userFactors, itemFactors} = als;
      const catalogueValues = this.catalogueValues;
      this.catalogueRows ??= packRows(itemFactors, this.catalogue, factors);
      scoreRows(this.catalogueRows, this.catalogue.length, factors, userFactors, user, catalogueValues);
      // Most customers own nothing outside the catalogue: then the catalogue's scores are all there is.
      let values = catalogueValues;
      if (scored !== this.catalogue) {
        values = this.scoredValues;
        for (let i = 0, inCatalogue = 0; i < scored.length; i++) {
          const item = scored[i];
          values[i] = this.inCatalogue[item] ? catalogueValues[inCatalogue++] : dot(itemFactors, item * factors, userFactors, user * factors, factors);
        }
      }
      let best = 0;
      for (let i = 0; i < scored.length; i++) best = Math.max(best, Math.abs(values[i]));
      const scale = best > 0 ? best : 1;
      this.scale = scale;
      const alsScores = this.alsScores;
      if (this.wholeCatalogue && scored === this.catalogue) for (let i = 0; i < scored.length; i++) alsScores[i] = values[i] /= scale;
      else for (let i = 0; i < scored.length; i++) alsScores[scored[i]] = values[i] /= scale;
      this.alsShortlist = topK(values.subarray(0, scored.length), SHORTLIST).map((i) => scored[i]);
    }
  }

  /** The loaded customer's top products by the ALS term and its scale (what a fit stores as the customer's view). */
  alsView(): {shortlist: readonly number[]; scale: number} {
    return {shortlist: this.alsShortlist, scale: this.scale};
  }

  private scoreAls(user: number, items: ArrayLike<number>): void {
    scoreSomeItems(this.signals.als, user, items, this.alsScores);
    for (let i = 0; i < items.length; i++) this.alsScores[items[i]] /= this.scale;
  }

  /**
   * A customer without factors: the ALS term is how often other customers bought the product, each
   * weighted by how many of this customer's products they bought too (co-purchases), scaled so the best is 1.
   */
  private coPurchaseScores(user: number): void {
    const {counts} = this.signals.profile;
    const byItem = this.byItem;
    const overlap = this.overlap;
    const touched: number[] = [];
    for (const item of this.ownItems) {
      for (let b = byItem.offsets[item]; b < byItem.offsets[item + 1]; b++) {
        const other = byItem.columns[b];
        if (other === user) continue;
        if (overlap[other] === 0) touched.push(other);
        overlap[other]++;
      }
    }
    const sums = this.coSums;
    for (const other of touched) {
      for (let e = counts.offsets[other]; e < counts.offsets[other + 1]; e++) sums[counts.columns[e]] += overlap[other];
      overlap[other] = 0;
    }
    let best = 0;
    for (const item of this.scored) best = Math.max(best, sums[item]);
    this.scale = best > 0 ? best : 1;
    for (const item of this.scored) this.alsScores[item] = sums[item] / this.scale;
    sums.fill(0);
  }

  /** The top `k` for the loaded customer. */
  rank(method: RankMethod, mode: Mode, k: number, weights: BlendWeights = {popularity: 0, als: 0}): Ranked {
    const {popularity} = this.signals;
    const skip = mode === "discover" ? (item: number) => this.bought[item] === 1 || popularity[item] === 0 : (item: number) => popularity[item] === 0;
    let items: number[];
    switch (method) {
      case "popularity":
        items = firstK(this.byPopularity, k, skip);
        break;
      case "recent_popularity":
        items = firstK(this.byRecentPopularity, k, skip);
        break;
      case "most_bought":
      case "own_history": {
        const value = method === "most_bought" ? this.counts : this.own;
        const owned = mode === "discover" ? [] : [...this.ownItems].sort((a, b) => value[b] + this.tie[b] - (value[a] + this.tie[a]) || a - b);
        items = owned.slice(0, k);
        if (items.length < k) items.push(...firstK(this.byPopularity, k - items.length, (item) => this.bought[item] === 1 || popularity[item] === 0));
        break;
      }
      case "als":
        items = this.blendTop(mode, k, {popularity: 0, als: 1}, false);
        break;
      case "blend":
        items = this.blendTop(mode, k, weights, mode === "buy_again");
        break;
    }
    const parts = items.map((item): [number, number, number] =>
      method === "blend"
        ? [mode === "buy_again" ? this.own[item] : 0, weights.popularity * this.signals.recentPopularity[item], weights.als * this.alsScores[item]]
        : [0, 0, 0]
    );
    return {items, scores: items.map((item) => this.score(item, method, weights, mode === "buy_again")), parts};
  }

  private score(item: number, method: RankMethod, weights: BlendWeights, withOwn: boolean): number {
    switch (method) {
      case "popularity":
        return this.signals.popularity[item];
      case "recent_popularity":
        return this.signals.recentPopularity[item];
      case "most_bought":
        return this.counts[item];
      case "own_history":
        return this.own[item];
      case "als":
        return this.alsScores[item];
      case "blend":
        return (withOwn ? this.own[item] : 0) + weights.popularity * this.signals.recentPopularity[item] + weights.als * this.alsScores[item];
    }
  }

  /** Top k of own·[withOwn] + popularity·recent + als·ALS (+ tie), excluding owned products in discover mode. */
  private blendTop(mode: Mode, k: number, weights: BlendWeights, withOwn: boolean): number[] {
    const {recentPopularity} = this.signals;
    const discover = mode === "discover";
    const value = (item: number) =>
      (withOwn ? this.own[item] : 0) + weights.popularity * recentPopularity[item] + weights.als * this.alsScores[item] + this.tie[item];
    // Shortlist: own products (they alone have an own term), the ALS and recent-popularity leaders.
    const candidates: number[] = [];
    const {popularity} = this.signals;
    const add = (item: number) => {
      if (this.mark[item] || (discover && this.bought[item]) || popularity[item] === 0) return;
      this.mark[item] = 1;
      candidates.push(item);
    };
    if (!discover) this.ownItems.forEach(add);
    this.alsShortlist.forEach(add);
    for (let r = 0; r < SHORTLIST; r++) add(this.byRecentPopularity[r]);
    // A Float64Array like every other list topK ranks here: one array type keeps its element reads monomorphic.
    const scores = this.candidateValues.subarray(0, candidates.length);
    for (let i = 0; i < candidates.length; i++) scores[i] = value(candidates[i]);
    const order = topK(scores, k).map((index) => candidates[index]);
    // Anything outside the shortlist scores at most the shortlist's last ALS and popularity values (+ the largest tie).
    const alsBound = this.alsScores[this.alsShortlist[this.alsShortlist.length - 1]] ?? 0;
    const popularityBound = recentPopularity[this.byRecentPopularity[Math.min(SHORTLIST, this.byRecentPopularity.length) - 1]] ?? 0;
    const maxTie = this.tie[this.byPopularity[0]] ?? 0;
    const bound = weights.als * Math.max(alsBound + maxTie, 0) + weights.popularity * (popularityBound + maxTie) + maxTie;
    const kth = order.length === k ? value(order[k - 1]) : Number.NEGATIVE_INFINITY;
    if (kth > bound) {
      for (const item of candidates) this.mark[item] = 0;
      return order;
    }
    // Otherwise every scored product competes. With scores from a fit's shortlist (partial), a product
    // outside the shortlist has an ALS score of at most alsBound: one whose bound with its own popularity
    // and tie stays below the shortlist's k-th cannot enter the top k, and needs no ALS score (most of them
    // at 10× the data, where this fallback runs for most customers in discover mode).
    const scored = this.scored;
    const totals = this.total;
    const prune = this.partial && weights.als >= 0 && weights.popularity >= 0 && !withOwn;
    const needed = this.neededBuffer;
    let count = 0;
    if (prune) {
      for (let i = 0; i < scored.length; i++) {
        const item = scored[i];
        if (this.mark[item] || (discover && this.bought[item]) || popularity[item] === 0) continue;
        // value()'s sum with alsBound for the ALS score, in its order: rounding keeps it an upper bound.
        if (0 + weights.popularity * recentPopularity[item] + weights.als * alsBound + this.tie[item] >= kth) {
          needed[count++] = item;
          this.mark[item] = 2;
        }
      }
      this.scoreAls(this.loadedUser, needed.subarray(0, count));
    } else if (this.partial) {
      this.scoreAls(this.loadedUser, scored);
      this.partial = false;
    }
    for (let i = 0; i < scored.length; i++) {
      const item = scored[i];
      const excluded = (discover && this.bought[item]) || popularity[item] === 0 || (prune && this.mark[item] === 0);
      totals[i] = excluded ? Number.NaN : value(item);
    }
    for (const item of candidates) this.mark[item] = 0;
    for (let i = 0; i < count; i++) this.mark[needed[i]] = 0;
    return topK(totals.subarray(0, scored.length), k).map((i) => scored[i]);
  }
}

/** The union of two ascending lists with no common item, ascending, in `into` (a view of it is returned). */
function mergeSorted(a: Int32Array, b: readonly number[], into: Int32Array): Int32Array {
  let i = 0;
  let j = 0;
  let at = 0;
  while (i < a.length && j < b.length) into[at++] = a[i] < b[j] ? a[i++] : b[j++];
  while (i < a.length) into[at++] = a[i++];
  while (j < b.length) into[at++] = b[j++];
  return into.subarray(0, at);
}

/** The first k items of a ranked list that `skip` does not reject. */
function firstK(ranked: readonly number[], k: number, skip: (item: number) => boolean): number[] {
  const out: number[] = [];
  for (const item of ranked) {
    if (out.length === k) break;
    if (!skip(item)) out.push(item);
  }
  return out;
}
