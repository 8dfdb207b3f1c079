/**
 * The headline numbers of a selection of orders (the `orders` snapshot: one row per invoice, so every KPI
 * is exact under any country/date filter), in the filters' revenue measure (net by default), with the change
 * against a comparison period: the period of the same length just before a chosen range, or — for "All" —
 * the default comparison (the last 12 months against the 12 before, or the longest window the data covers;
 * see defaultComparison).
 */
import * as aq from "./arquero.js";
import {kpiCard, kpiRow} from "./kpi-card.js";
import {filterTable} from "./sales-filter.js";
import {daysInclusive, defaultComparison, previousPeriod, revenueColumn, type Filters} from "./url-state.js";

export interface Kpis {
  revenue: number;
  orders: number;
  units: number;
  customers: number;
  averageOrderValue: number;
}

export interface KpiComparison {
  /** The selection's KPIs (all time for "All"). */
  current: Kpis;
  /** The KPIs of the comparison's current window, when it is not the selection ("All": the last 6 months). */
  window: Kpis | null;
  /** The comparison period's KPIs; null when the data has no such period. */
  previous: Kpis | null;
  /** "vs the 6 months before"; or, with no previous period, why. */
  comparison: string;
  /** Each KPI per month (or week, or day for short ranges) of the selection, oldest first: the sparklines. */
  series: Record<keyof Kpis, number[]>;
  /** Days the selection spans (the sparklines' step follows from it). */
  span: number;
  measure: Filters["measure"];
}

/**
 * KPIs of `orders` (with a `day` column, see withDay) under the filters, and of the comparison period.
 * `data` is the first and last day of the data: a comparison period that starts before the data has no
 * figures (saying so), rather than a misleading change.
 */
export function orderKpis(orders: aq.ColumnTable, filters: Filters, data?: {first: string; last: string}): KpiComparison {
  const column = revenueColumn(filters.measure);
  const selected = filterTable(orders, filters);
  const periods = comparisonPeriods(filters, data);
  return {
    current: summarise(selected, column),
    series: bucketed(selected, column, filters, data),
    span: spanOf(filters, data),
    measure: filters.measure,
    window: periods.window && summarise(filterTable(orders, {...filters, ...periods.window}), column),
    previous: periods.previous && summarise(filterTable(orders, {...filters, ...periods.previous}), column),
    comparison: periods.label
  };
}

export interface ComparisonPeriods {
  /** The window compared, when it is not the selection itself (for "All"). */
  window: {from: string; to: string} | null;
  /** The period it is compared with; null when the data has none. */
  previous: {from: string; to: string} | null;
  /** "vs the previous 90 days", "last 6 months vs the 6 before", or why there is no comparison. */
  label: string;
}

/**
 * What a selection is compared with: the period of the same length just before a chosen range, or for
 * "All" the default comparison. A previous period that starts before the data gives none (and says so).
 */
export function comparisonPeriods(filters: Pick<Filters, "from" | "to">, data?: {first: string; last: string}): ComparisonPeriods {
  if (!filters.from && !filters.to) {
    const fallback = data && defaultComparison(data.first, data.last);
    if (!fallback) return {window: null, previous: null, label: data ? "the data covers under two months: nothing to compare" : ""};
    return {window: fallback.current, previous: fallback.previous, label: fallback.label};
  }
  const previous = previousPeriod(filters.from ?? data?.first ?? null, filters.to ?? data?.last ?? null);
  if (!previous) return {window: null, previous: null, label: ""};
  const days = daysInclusive(previous.from, previous.to);
  if (data && previous.from < data.first) return {window: null, previous: null, label: `no previous ${days} days in the data (it starts ${data.first})`};
  return {window: null, previous, label: `vs the previous ${days} days`};
}

function summarise(orders: aq.ColumnTable, column: string): Kpis {
  const revenue = aq.columnValues(orders, column) as ArrayLike<number>;
  const units = aq.columnValues(orders, "units") as ArrayLike<number>;
  let revenueSum = 0;
  let unitSum = 0;
  for (let i = 0; i < revenue.length; i++) {
    revenueSum += revenue[i]!;
    unitSum += Number(units[i]!);
  }
  const count = orders.numRows();
  const customers = countDistinct(aq.columnValues(orders, "customer_id"));
  return {revenue: revenueSum, orders: count, units: unitSum, customers, averageOrderValue: count ? revenueSum / count : 0};
}

/** Ids up to this are counted with marks in an array (4 bytes each), others with a Set. */
const MARKED_IDS = 1 << 22;
let marks = new Int32Array(0);
let epoch = 0;

/**
 * The number of distinct ids (nulls aside) in rows [start, end). Small non-negative integers, as customer
 * ids are, are marked in one reused array rather than added to a Set: a filter change on the Overview counts
 * the customers of 200,000 orders several times over at 10× the data.
 */
export function countDistinct(ids: ArrayLike<unknown>, start = 0, end = ids.length): number {
  if (++epoch === 2 ** 31 - 1) (marks.fill(0), (epoch = 1));
  let count = 0;
  for (let i = start; i < end; i++) {
    const id = ids[i];
    if (id === null || id === undefined) continue;
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= MARKED_IDS) return countWithSet(ids, start, end);
    if (id >= marks.length) {
      const grown = new Int32Array(Math.min(MARKED_IDS, Math.max(id + 1, marks.length * 2)));
      grown.set(marks);
      marks = grown;
    }
    if (marks[id] !== epoch) {
      marks[id] = epoch;
      count++;
    }
  }
  return count;
}

function countWithSet(ids: ArrayLike<unknown>, start: number, end: number): number {
  const seen = new Set<unknown>();
  for (let i = start; i < end; i++) if (ids[i] !== null && ids[i] !== undefined) seen.add(ids[i]);
  return seen.size;
}

/** The sparklines' step: months, or ISO weeks for ranges under 92 days, or days under 22. */
export function granularityOf({span}: {span: number}): "day" | "week" | "month" {
  return span < 22 ? "day" : span < 92 ? "week" : "month";
}

/** Each KPI per step of the selection (see granularityOf). */
function bucketed(orders: aq.ColumnTable, column: string, filters: Filters, data?: {first: string; last: string}): Record<keyof Kpis, number[]> {
  const step = granularityOf({span: spanOf(filters, data)});
  const keyOf = step === "day" ? (day: string) => day : step === "week" ? weekOf : (day: string) => day.slice(0, 7);
  const days = aq.columnValues(orders, "day") as ArrayLike<string>;
  const revenue = aq.columnValues(orders, column) as ArrayLike<number>;
  const units = aq.columnValues(orders, "units") as ArrayLike<number>;
  const ids = aq.columnValues(orders, "customer_id");
  const buckets = new Map<string, {revenue: number; orders: number; units: number; customers: number}>();
  // The orders snapshot is in day order, so each step's rows are one run: a key per day, not per row, and
  // each run's customers counted at once. Rows out of order (another table) are grouped by key instead.
  const inOrder = isAscending(days);
  const customerSets = inOrder ? null : new Map<string, Set<unknown>>();
  let runStart = 0;
  let runKey = "";
  let previousDay: string | undefined;
  let bucket: {revenue: number; orders: number; units: number; customers: number} | undefined;
  for (let i = 0; i < days.length; i++) {
    if (days[i] !== previousDay) {
      previousDay = days[i]!;
      const key = keyOf(previousDay);
      if (key !== runKey || !bucket) {
        if (bucket && inOrder) bucket.customers = countDistinct(ids, runStart, i);
        runKey = key;
        runStart = i;
        bucket = buckets.get(key);
        if (!bucket) buckets.set(key, (bucket = {revenue: 0, orders: 0, units: 0, customers: 0}));
      }
    }
    bucket!.revenue += revenue[i]!;
    bucket!.orders += 1;
    bucket!.units += Number(units[i]!);
    if (customerSets && ids[i] !== null && ids[i] !== undefined) {
      let seen = customerSets.get(runKey);
      if (!seen) customerSets.set(runKey, (seen = new Set()));
      seen.add(ids[i]);
    }
  }
  if (bucket && inOrder) bucket.customers = countDistinct(ids, runStart, days.length);
  if (customerSets) for (const [key, seen] of customerSets) buckets.get(key)!.customers = seen.size;
  const ordered = [...buckets.keys()].sort().map((key) => buckets.get(key)!);
  return {
    revenue: ordered.map((b) => b.revenue),
    orders: ordered.map((b) => b.orders),
    units: ordered.map((b) => b.units),
    customers: ordered.map((b) => b.customers),
    averageOrderValue: ordered.map((b) => (b.orders ? b.revenue / b.orders : 0))
  };
}

function isAscending(days: ArrayLike<string>): boolean {
  for (let i = 1; i < days.length; i++) if (days[i - 1]! > days[i]!) return false;
  return true;
}

function spanOf(filters: Filters, data?: {first: string; last: string}): number {
  const from = filters.from ?? data?.first;
  const to = filters.to ?? data?.last;
  return from && to ? daysInclusive(from, to) : 366;
}

function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

const money = new Intl.NumberFormat("en-GB", {style: "currency", currency: "GBP", maximumFractionDigits: 0});
const money2 = new Intl.NumberFormat("en-GB", {style: "currency", currency: "GBP", minimumFractionDigits: 2, maximumFractionDigits: 2});
const count = new Intl.NumberFormat("en-GB");

export const KPI_LABELS: Record<keyof Kpis, {label: string; format: (value: number) => string}> = {
  revenue: {label: "Revenue", format: (value) => money.format(value)},
  orders: {label: "Orders", format: (value) => count.format(value)},
  units: {label: "Units", format: (value) => count.format(value)},
  customers: {label: "Customers", format: (value) => count.format(value)},
  averageOrderValue: {label: "Average order value", format: (value) => money2.format(value)}
};

/** One KPI card per figure (see kpi-card.ts); `data-kpi`, `data-value`, `data-previous` carry the exact numbers. */
export function kpiCards(kpis: KpiComparison): HTMLElement {
  const {current, window, previous, comparison, series, measure} = kpis;
  return kpiRow(
    (Object.keys(KPI_LABELS) as (keyof Kpis)[]).map((key) => {
      const {format} = KPI_LABELS[key];
      const label = key === "revenue" ? (measure === "net" ? "Net revenue" : "Gross revenue") : KPI_LABELS[key].label;
      return kpiCard({
        key,
        label,
        format,
        value: current[key],
        series: series[key],
        current: window ? window[key] : undefined,
        previous: previous ? previous[key] : null,
        note: previous ? (previous[key] === 0 ? "none in the comparison period" : undefined) : undefined
      });
    }),
    {
      name: "kpis",
      caption: previous
        ? `Change: ${comparison}. Lines: each figure by ${granularityOf(kpis)}.`
        : comparison
          ? `${comparison[0]!.toUpperCase()}${comparison.slice(1)}.`
          : undefined
    }
  );
}
