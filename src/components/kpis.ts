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
  const current = summarise(selected, column);
  const series = bucketed(selected, column, filters, data);
  const base = {current, series, measure: filters.measure};
  if (!filters.from && !filters.to) {
    const fallback = data && defaultComparison(data.first, data.last);
    if (!fallback) return {...base, window: null, previous: null, comparison: "the data covers under two months: nothing to compare"};
    return {
      ...base,
      window: summarise(filterTable(orders, {...filters, ...fallback.current}), column),
      previous: summarise(filterTable(orders, {...filters, ...fallback.previous}), column),
      comparison: fallback.label
    };
  }
  const previous = previousPeriod(filters.from ?? data?.first ?? null, filters.to ?? data?.last ?? null);
  if (!previous) return {...base, window: null, previous: null, comparison: ""};
  const days = daysInclusive(previous.from, previous.to);
  if (data && previous.from < data.first) return {...base, window: null, previous: null, comparison: `no previous ${days} days in the data (it starts ${data.first})`};
  return {...base, window: null, previous: summarise(filterTable(orders, {...filters, ...previous}), column), comparison: `vs the previous ${days} days`};
}

function summarise(orders: aq.ColumnTable, column: string): Kpis {
  const revenue = orders.array(column) as number[];
  const units = orders.array("units") as number[];
  const customers = new Set<number>();
  for (const id of orders.array("customer_id") as (number | null)[]) if (id !== null && id !== undefined) customers.add(id);
  let revenueSum = 0;
  let unitSum = 0;
  for (let i = 0; i < revenue.length; i++) {
    revenueSum += revenue[i]!;
    unitSum += Number(units[i]!);
  }
  const count = orders.numRows();
  return {revenue: revenueSum, orders: count, units: unitSum, customers: customers.size, averageOrderValue: count ? revenueSum / count : 0};
}

/** Month buckets (`YYYY-MM`), or ISO weeks for ranges under 92 days, or days under 22. */
function bucketed(orders: aq.ColumnTable, column: string, filters: Filters, data?: {first: string; last: string}): Record<keyof Kpis, number[]> {
  const from = filters.from ?? data?.first;
  const to = filters.to ?? data?.last;
  const span = from && to ? daysInclusive(from, to) : 366;
  const keyOf = span < 22 ? (day: string) => day : span < 92 ? weekOf : (day: string) => day.slice(0, 7);
  const days = orders.array("day") as string[];
  const revenue = orders.array(column) as number[];
  const units = orders.array("units") as number[];
  const ids = orders.array("customer_id") as (number | null)[];
  const buckets = new Map<string, {revenue: number; orders: number; units: number; customers: Set<number>}>();
  for (let i = 0; i < days.length; i++) {
    const key = keyOf(days[i]!);
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = {revenue: 0, orders: 0, units: 0, customers: new Set()}));
    bucket.revenue += revenue[i]!;
    bucket.orders += 1;
    bucket.units += Number(units[i]!);
    if (ids[i] !== null && ids[i] !== undefined) bucket.customers.add(ids[i]!);
  }
  const ordered = [...buckets.keys()].sort().map((key) => buckets.get(key)!);
  return {
    revenue: ordered.map((b) => b.revenue),
    orders: ordered.map((b) => b.orders),
    units: ordered.map((b) => b.units),
    customers: ordered.map((b) => b.customers.size),
    averageOrderValue: ordered.map((b) => (b.orders ? b.revenue / b.orders : 0))
  };
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
  return kpiRow((Object.keys(KPI_LABELS) as (keyof Kpis)[]).map((key) => {
    const {format} = KPI_LABELS[key];
    const label = key === "revenue" ? (measure === "net" ? "Net revenue" : "Gross revenue") : KPI_LABELS[key].label;
    return kpiCard({
      key, label, format, value: current[key], series: series[key],
      current: window ? window[key] : undefined,
      previous: previous ? previous[key] : null,
      comparison,
      note: previous ? (previous[key] === 0 ? "no sales in the comparison period" : undefined) : comparison || undefined
    });
  }), {name: "kpis"});
}
