/**
 * The top customers of a selection of orders (the `orders` snapshot, one row per invoice), for the
 * Overview's customer leaderboard: each with its value, share and change (see leaders), its country and
 * the share of its orders cancelled later.
 *
 *   const {leaders, country, cancelledShare} = customerLeaders(ordersFiltered, {column, window, previous});
 *   display(leaderboard(leaders, {name: "customers", …, label: (id) => `${id} ${country.get(id)}`}));
 *
 * Only the selection is summed over every customer (43,000 at 10× the data); the comparison periods, the
 * countries and the cancelled shares are looked up for the ten shown, in one pass over each table.
 */
import {columnValues, type ColumnTable} from "./arquero.js";
import {leaders, sumColumns, type Leader} from "./leaderboard.js";

export interface CustomerLeaderOptions {
  /** The revenue column ranked by: "net_revenue" or "revenue". */
  column: "net_revenue" | "revenue";
  /** The orders of the comparison's current window, when it is not the selection itself (see leaders). */
  window?: ColumnTable | null;
  /** The orders of the period compared with; null: no change shown. */
  previous?: ColumnTable | null;
  /** How many customers. Default: 10. */
  limit?: number;
}

export interface CustomerLeaders {
  leaders: Leader[];
  /** The country of each customer shown, from its last order in the selection. */
  country: Map<string, string>;
  /** 1 − net / gross revenue of each customer shown, over the selection (0 when it has no gross revenue). */
  cancelledShare: Map<string, number>;
}

export function customerLeaders(orders: ColumnTable, options: CustomerLeaderOptions): CustomerLeaders {
  const {column, window = null, previous = null, limit = 10} = options;
  if (column !== "net_revenue" && column !== "revenue") throw new Error(`invalid column; not net_revenue or revenue: ${JSON.stringify(column)}`);
  const ids = columnValues(orders, "customer_id") as ArrayLike<unknown>;
  const current = sumColumns(ids, columnValues(orders, column) as ArrayLike<number>);
  const top = leaders(current, {limit});
  // The raw keys (numbers, or BigInts for a BIGINT column) of the ones shown, to test each row without
  // making a string.
  const shown = new Map(top.map((leader, slot) => [rawKey(ids, leader.key), slot]));
  const sumsOf = (table: ColumnTable, name: string) => lookUp(table, shown, columnValues(table, name) as ArrayLike<number>);
  const byKey = <T>(values: ArrayLike<T>) => new Map(top.map((leader, slot) => [leader.key, values[slot]!]));
  const gross = sumsOf(orders, "revenue");
  const net = sumsOf(orders, "net_revenue");
  return {
    // The same ranking again, now with the comparison's values of the ones shown (all leaders looks up).
    leaders: leaders(current, {limit, window: window && byKey(sumsOf(window, column)), previous: previous && byKey(sumsOf(previous, column))}),
    country: byKey(lastOf(orders, shown, columnValues(orders, "country") as ArrayLike<string>)),
    cancelledShare: byKey(top.map((_, slot) => (gross[slot] ? 1 - net[slot]! / gross[slot]! : 0)))
  };
}

/** Sums `values` of the rows whose customer is in `shown` (id → slot), per slot. */
function lookUp(table: ColumnTable, shown: ReadonlyMap<unknown, number>, values: ArrayLike<number>): Float64Array {
  const ids = columnValues(table, "customer_id") as ArrayLike<unknown>;
  const sums = new Float64Array(shown.size);
  for (let row = 0; row < ids.length; row++) {
    const slot = shown.get(ids[row]);
    if (slot !== undefined) sums[slot]! += values[row]!;
  }
  return sums;
}

/** The last of `values` per slot over the rows whose customer is in `shown`. */
function lastOf<T>(table: ColumnTable, shown: ReadonlyMap<unknown, number>, values: ArrayLike<T>): T[] {
  const ids = columnValues(table, "customer_id") as ArrayLike<unknown>;
  const last: T[] = new Array(shown.size);
  for (let row = 0; row < ids.length; row++) {
    const slot = shown.get(ids[row]);
    if (slot !== undefined) last[slot] = values[row]!;
  }
  return last;
}

/** `key` (a string, as sumColumns gives it) in the type of the column's values. */
function rawKey(ids: ArrayLike<unknown>, key: string): unknown {
  for (let row = 0; row < ids.length; row++) {
    const sample = ids[row];
    if (typeof sample === "number") return Number(key);
    if (typeof sample === "bigint") return BigInt(key);
    if (sample !== null && sample !== undefined) return key;
  }
  return key;
}
