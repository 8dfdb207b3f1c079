import type {Csr} from "./sparse.js";

/**
 * Purchase events: one per customer, product and day with a purchase (the stage aggregates sales lines to
 * this grain), sorted by customer, product and day. Customers and products are dense indexes; days are
 * day numbers (days since 1970-01-01). Every summary below is one linear pass over them.
 */
export interface Purchases {
  users: number;
  items: number;
  user: Int32Array;
  item: Int32Array;
  day: Int32Array;
}

/** Throws, naming the first offending event, unless the events are in range and sorted by user, item, day. */
export function checkPurchases({users, items, user, item, day}: Purchases): void {
  if (item.length !== user.length || day.length !== user.length)
    throw new Error(`purchase arrays differ in length: ${user.length}, ${item.length}, ${day.length}`);
  for (let e = 0; e < user.length; e++) {
    if (!(user[e] >= 0 && user[e] < users)) throw new Error(`invalid customer index at event ${e}; expected 0 to ${users - 1}: ${user[e]}`);
    if (!(item[e] >= 0 && item[e] < items)) throw new Error(`invalid product index at event ${e}; expected 0 to ${items - 1}: ${item[e]}`);
    if (e > 0 && (user[e] < user[e - 1] || (user[e] === user[e - 1] && (item[e] < item[e - 1] || (item[e] === item[e - 1] && day[e] <= day[e - 1]))))) {
      throw new Error(
        `purchases not sorted by customer, product and day (or not distinct) at event ${e}: (${user[e]}, ${item[e]}, ${day[e]}) after (${user[e - 1]}, ${item[e - 1]}, ${day[e - 1]})`
      );
    }
  }
}

/** What each customer bought before a cut-off day. */
export interface HistoryProfile {
  /** Days on which the customer bought the product (≈ orders), users × items. */
  counts: Csr;
  /** Σ 2^(−age / halfLife) over those days (age in days before the cut-off's eve). Same pattern as `counts`. */
  decayed: Csr;
  /** Last day the customer bought the product. Same pattern as `counts`. */
  lastDay: Csr;
  /** 1 for customers who bought anything before the cut-off. */
  active: Uint8Array;
}

/**
 * @param cutoffDay events on this day or later are ignored
 * @param halfLifeDays a purchase this many days before the cut-off weighs half as much as one on its eve
 */
export function profileBefore(purchases: Purchases, cutoffDay: number, halfLifeDays: number): HistoryProfile {
  if (!(halfLifeDays > 0)) throw new Error(`invalid halfLifeDays; not a positive number: ${halfLifeDays}`);
  const {users, items, user, item, day} = purchases;
  const rate = Math.LN2 / halfLifeDays;
  const offsets = new Int32Array(users + 1);
  const columns = new Int32Array(user.length);
  const counts = new Float64Array(user.length);
  const decayed = new Float64Array(user.length);
  const last = new Float64Array(user.length);
  let out = 0;
  let row = 0;
  for (let e = 0; e < user.length; e++) {
    if (day[e] >= cutoffDay) continue;
    while (row < user[e]) offsets[++row] = out;
    if (out > offsets[row] && columns[out - 1] === item[e]) {
      counts[out - 1]++;
      decayed[out - 1] += Math.exp(-(cutoffDay - 1 - day[e]) * rate);
      last[out - 1] = day[e];
    } else {
      columns[out] = item[e];
      counts[out] = 1;
      decayed[out] = Math.exp(-(cutoffDay - 1 - day[e]) * rate);
      last[out] = day[e];
      out++;
    }
  }
  while (row < users) offsets[++row] = out;
  const shape = {rows: users, cols: items, offsets, columns: columns.slice(0, out)};
  const active = new Uint8Array(users);
  for (let u = 0; u < users; u++) active[u] = offsets[u + 1] > offsets[u] ? 1 : 0;
  return {
    counts: {...shape, values: counts.slice(0, out)},
    decayed: {...shape, values: decayed.slice(0, out)},
    lastDay: {...shape, values: last.slice(0, out)},
    active
  };
}

/** Distinct products each customer bought in [fromDay, toDay), as a binary users × items matrix. */
export function boughtBetween(purchases: Purchases, fromDay: number, toDay: number): Csr {
  const {users, items, user, item, day} = purchases;
  const offsets = new Int32Array(users + 1);
  const columns = new Int32Array(user.length);
  let out = 0;
  let row = 0;
  for (let e = 0; e < user.length; e++) {
    if (day[e] < fromDay || day[e] >= toDay) continue;
    while (row < user[e]) offsets[++row] = out;
    if (out > offsets[row] && columns[out - 1] === item[e]) continue;
    columns[out++] = item[e];
  }
  while (row < users) offsets[++row] = out;
  return {rows: users, cols: items, offsets, columns: columns.slice(0, out), values: new Float64Array(out).fill(1)};
}

/** Distinct customers buying each product in [fromDay, toDay). */
export function popularityBetween(purchases: Purchases, fromDay: number, toDay: number): Float64Array {
  const {items, user, item, day} = purchases;
  const popularity = new Float64Array(items);
  for (let e = 0; e < user.length; e++) {
    if (day[e] < fromDay || day[e] >= toDay) continue;
    // Count a (customer, product) pair once: at its first event inside the window.
    if (e > 0 && user[e - 1] === user[e] && item[e - 1] === item[e] && day[e - 1] >= fromDay) continue;
    popularity[item[e]]++;
  }
  return popularity;
}

/**
 * Per product: (customers who bought it before `fromDay` and again in [fromDay, toDay) + a) /
 * (customers who bought it before `fromDay` + b): how often a buyer comes back for it, smoothed.
 */
export function repeatRates(purchases: Purchases, fromDay: number, toDay: number, a: number, b: number): Float64Array {
  const {items, user, item, day} = purchases;
  const buyers = new Float64Array(items);
  const again = new Float64Array(items);
  let e = 0;
  while (e < user.length) {
    let end = e;
    let before = false;
    let during = false;
    while (end < user.length && user[end] === user[e] && item[end] === item[e]) {
      if (day[end] < fromDay) before = true;
      else if (day[end] < toDay) during = true;
      end++;
    }
    if (before) {
      buyers[item[e]]++;
      if (during) again[item[e]]++;
    }
    e = end;
  }
  return buyers.map((count, i) => (again[i] + a) / (count + b));
}

/** The items of one CSR row, as a set (for relevance checks). */
export function rowSet(matrix: Csr, row: number): Set<number> {
  return new Set(matrix.columns.subarray(matrix.offsets[row], matrix.offsets[row + 1]));
}
