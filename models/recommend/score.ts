import {checkPurchases} from "./history.js";
import {MODES, Ranker, SHORTLIST, type AlsViews} from "./rank.js";
import {historySignals, type Signals} from "./signals.js";
import type {Csr} from "./sparse.js";
import type {RecommendArtefact, RecommendData} from "./fit.js";

/**
 * The published lists, one entry per customer, mode and rank, as columns (typed arrays clone and write
 * fast; the stage turns them into text with SQL). Indexes refer to the scored data's customers and products.
 */
export interface RecommendationLists {
  user: Int32Array;
  /** 0 buy_again, 1 discover. */
  mode: Uint8Array;
  rank: Int32Array;
  item: Int32Array;
  score: Float64Array;
  /** Why: 0 bought before ("bought N times, last on D"), 1 often bought with `related`, 2 liked by similar customers, 3 popular now (REASONS). */
  reason: Uint8Array;
  /** Reason 0: purchase days and the last one (day number). */
  times: Int32Array;
  lastDay: Int32Array;
  /** Reason 1: the customer's product it goes with (−1 otherwise), and how many customers bought both. */
  related: Int32Array;
  common: Int32Array;
  /** Reason 3: customers who bought it in the last `popularityDays`. */
  recentBuyers: Int32Array;
  /** 1 when the fit has no factors for the customer (new since the fit): co-purchases and popularity stand in for ALS. */
  newCustomer: Uint8Array;
  popularityDays: number;
}

/**
 * Today's lists from a fit: the customer's own history, repeat rates and what sells now come from today's
 * purchases (one linear pass each), so a product bought today is in the buyer's history at once; the ALS
 * term comes from the fit's factors, for the candidates only. A customer the fit never saw has no
 * factors: their ALS term is replaced by co-purchases (others' purchases, weighted by how much they share
 * with this customer); a product the fit never saw has no factors and can only come in by popularity.
 */
export function scoreRecommendations(artefact: RecommendArtefact, data: RecommendData): RecommendationLists {
  checkPurchases(data);
  const {options} = artefact;
  if (data.day.length === 0) return emptyLists(0, options.popularityDays);
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const value of data.day) lastDay = Math.max(lastDay, value);
  const history = historySignals(data, lastDay + 1, options);
  const {signals, views} = mapFit(artefact, data, history);
  return publishLists(data.users, signals, views, artefact);
}

/** The fit's factors, shortlists and catalogue in today's indexes (zero factors for customers and products new since the fit). */
function mapFit(artefact: RecommendArtefact, data: RecommendData, history: Omit<Signals, "als">): {signals: Signals; views: AlsViews} {
  const f = artefact.factors;
  const fitUser = new Map<number, number>();
  artefact.customerIds.forEach((id, index) => fitUser.set(id, index));
  const fitItem = new Map<string, number>();
  artefact.stockCodes.forEach((code, index) => fitItem.set(code, index));
  const todayItem = new Int32Array(artefact.stockCodes.length).fill(-1);
  const itemFactors = new Float64Array(data.items * f);
  const catalogue = new Uint8Array(data.items);
  data.stockCodes.forEach((code, item) => {
    const index = fitItem.get(code);
    if (index === undefined) return;
    todayItem[index] = item;
    itemFactors.set(artefact.itemFactors.subarray(index * f, index * f + f), item * f);
    catalogue[item] = artefact.catalogue[index];
  });
  const userFactors = new Float64Array(data.users * f);
  const factored = new Uint8Array(data.users);
  const shortlist = new Int32Array(data.users * SHORTLIST).fill(-1);
  const scale = new Float64Array(data.users);
  for (let user = 0; user < data.users; user++) {
    const index = fitUser.get(data.customerIds[user]);
    if (index === undefined) continue;
    factored[user] = 1;
    userFactors.set(artefact.userFactors.subarray(index * f, index * f + f), user * f);
    scale[user] = artefact.scale[index];
    let at = user * SHORTLIST;
    for (const item of artefact.shortlist.subarray(index * SHORTLIST, index * SHORTLIST + SHORTLIST)) {
      if (item >= 0 && todayItem[item] >= 0) shortlist[at++] = todayItem[item];
    }
  }
  const als = {factors: f, users: data.users, items: data.items, userFactors, itemFactors};
  return {signals: {...history, als}, views: {factored, shortlist, scale, catalogue}};
}

function emptyLists(count: number, popularityDays: number): RecommendationLists {
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
    newCustomer: new Uint8Array(count),
    popularityDays
  };
}

function publishLists(users: number, signals: Signals, views: AlsViews, artefact: RecommendArtefact): RecommendationLists {
  const {k, catalogue} = artefact.options;
  const {weights} = artefact;
  const ranker = new Ranker(signals, catalogue, views);
  const {counts, lastDay} = signals.profile;
  const byItem = ranker.byItem;
  const norms = itemNorms(signals);
  let active = 0;
  for (const flag of signals.profile.active) active += flag;
  const lists = emptyLists(active * MODES.length * k, signals.popularityDays);
  let at = 0;
  for (let user = 0; user < users; user++) {
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
        lists.newCustomer[at] = ranker.coPurchase ? 1 : 0;
        const entry = find(counts, user, item);
        if (entry >= 0) {
          lists.reason[at] = 0;
          lists.times[at] = counts.values[entry];
          lists.lastDay[at] = lastDay.values[entry];
        } else if (als >= popular) {
          const related = ranker.coPurchase ? mostCommonOwned(byItem, counts, user, item) : closestOwned(signals, norms, counts, user, item);
          const both = related === null ? 0 : commonBuyers(byItem, item, related);
          if (related !== null && both > 0) {
            lists.reason[at] = 1;
            lists.related[at] = related;
            lists.common[at] = both;
          } else lists.reason[at] = ranker.coPurchase ? 3 : 2;
        } else {
          lists.reason[at] = 3;
        }
        if (lists.reason[at] === 3) lists.recentBuyers[at] = signals.recentBuyers[item];
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
    newCustomer: trim(lists.newCustomer),
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

/** The product the customer bought that most customers bought together with `item` (a customer without factors). */
function mostCommonOwned(byItem: Csr, counts: Csr, user: number, item: number): number | null {
  let best: number | null = null;
  let most = 0;
  for (let e = counts.offsets[user]; e < counts.offsets[user + 1]; e++) {
    const both = commonBuyers(byItem, item, counts.columns[e]);
    if (both > most) {
      most = both;
      best = counts.columns[e];
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
