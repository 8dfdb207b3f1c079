/**
 * The headline numbers of a selection, in the filters' revenue measure (net by default), with the change
 * against a comparison period: the period of the same length just before a chosen range, or — for "All" —
 * the default comparison (the last 12 months against the 12 before, or the longest window the data covers;
 * see defaultComparison).
 *
 * Revenue, orders and units are sums, so they come from `daily_sales` (one row per day and country: a few
 * thousand rows whatever the size of the data) and are exact under any country/date filter. Distinct
 * customers are not a sum: they are counted in DuckDB-WASM from the invoices (customer-totals.ts) and
 * filled in when they arrive (kpiCards' `customers`).
 */
import * as aq from "./arquero.js";
import type {CustomerCounts} from "./customer-totals.js";
import {kpiCard, kpiRow} from "./kpi-card.js";
import {filterTable} from "./sales-filter.js";
import {daysInclusive, defaultComparison, previousPeriod, revenueColumn, type Filters} from "./url-state.js";

export interface Kpis {
  revenue: number;
  orders: number;
  units: number;
  /** Distinct identified customers; null until counted (see kpiCards). */
  customers: number | null;
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
  /** Each summed KPI per step of the selection, oldest first: the sparklines (customers: see kpiCards). */
  series: Record<Exclude<keyof Kpis, "customers">, number[]>;
  /** The steps of the series, oldest first, keyed by stepKey. */
  steps: string[];
  /** Days the selection spans (the sparklines' step follows from it). */
  span: number;
  measure: Filters["measure"];
}

/**
 * KPIs of `daily` (daily_sales, or the same columns rebuilt for a product filter; with a `day` column, see
 * withDay) under the filters, and of the comparison period. `data` is the first and last day of the data: a
 * comparison period that starts before the data has no figures (saying so), rather than a misleading change.
 */
export function salesKpis(daily: aq.ColumnTable, filters: Filters, data?: {first: string; last: string}): KpiComparison {
  const column = revenueColumn(filters.measure);
  const selected = filterTable(daily, filters);
  const periods = comparisonPeriods(filters, data);
  const {steps, series} = bucketed(selected, column, stepOf(filters, data));
  return {
    current: summarise(selected, column),
    series,
    steps,
    span: spanOf(filters, data),
    measure: filters.measure,
    window: periods.window && summarise(filterTable(daily, {...filters, ...periods.window}), column),
    previous: periods.previous && summarise(filterTable(daily, {...filters, ...periods.previous}), column),
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

function summarise(daily: aq.ColumnTable, column: string): Kpis {
  const revenue = aq.columnValues(daily, column) as ArrayLike<number>;
  const orders = aq.columnValues(daily, "orders") as ArrayLike<number>;
  const units = aq.columnValues(daily, "units") as ArrayLike<number>;
  let revenueSum = 0;
  let orderSum = 0;
  let unitSum = 0;
  for (let i = 0; i < revenue.length; i++) {
    revenueSum += revenue[i]!;
    orderSum += Number(orders[i]!);
    unitSum += Number(units[i]!);
  }
  return {revenue: revenueSum, orders: orderSum, units: unitSum, customers: null, averageOrderValue: orderSum ? revenueSum / orderSum : 0};
}

/** A sparkline step: days, ISO weeks (keyed by their Monday) or calendar months (`YYYY-MM`). */
export type Step = "day" | "week" | "month";

/** The sparklines' step: months, or ISO weeks for ranges under 92 days, or days under 22. */
export function granularityOf({span}: {span: number}): Step {
  return span < 22 ? "day" : span < 92 ? "week" : "month";
}

/** The key of a day's sparkline step: the day, its week's Monday, or its `YYYY-MM` month (customer-totals.ts keys alike). */
export function stepKey(step: Step, day: string): string {
  return step === "day" ? day : step === "week" ? weekOf(day) : day.slice(0, 7);
}

/** Each summed KPI per step, with the steps' keys, oldest first. */
function bucketed(daily: aq.ColumnTable, column: string, step: Step): Pick<KpiComparison, "steps" | "series"> {
  const days = aq.columnValues(daily, "day") as ArrayLike<string>;
  const revenue = aq.columnValues(daily, column) as ArrayLike<number>;
  const orders = aq.columnValues(daily, "orders") as ArrayLike<number>;
  const units = aq.columnValues(daily, "units") as ArrayLike<number>;
  const buckets = new Map<string, {revenue: number; orders: number; units: number}>();
  // A key per day, not per row: the rows of a day (one per country) are next to each other in the snapshot.
  let previousDay: string | undefined;
  let bucket: {revenue: number; orders: number; units: number} | undefined;
  for (let i = 0; i < days.length; i++) {
    if (days[i] !== previousDay || !bucket) {
      previousDay = days[i]!;
      const key = stepKey(step, previousDay);
      bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = {revenue: 0, orders: 0, units: 0}));
    }
    bucket.revenue += revenue[i]!;
    bucket.orders += Number(orders[i]!);
    bucket.units += Number(units[i]!);
  }
  const steps = [...buckets.keys()].sort();
  const ordered = steps.map((key) => buckets.get(key)!);
  return {
    steps,
    series: {
      revenue: ordered.map((b) => b.revenue),
      orders: ordered.map((b) => b.orders),
      units: ordered.map((b) => b.units),
      averageOrderValue: ordered.map((b) => (b.orders ? b.revenue / b.orders : 0))
    }
  };
}

/** The sparkline step of a selection: what kpiCards steps through, and what customerCountsQuery must count by. */
export function stepOf(filters: Pick<Filters, "from" | "to">, data?: {first: string; last: string}): Step {
  return granularityOf({span: spanOf(filters, data)});
}

function spanOf(filters: Pick<Filters, "from" | "to">, data?: {first: string; last: string}): number {
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

export interface KpiCardsOptions {
  /**
   * The selection's distinct customers (customerCounts), or a promise of them: the card says "…" (and
   * carries `data-pending`) until it settles, then is replaced in place. Default: none (the card shows "—").
   */
  customers?: CustomerCounts | Promise<CustomerCounts> | null;
}

/** One KPI card per figure (see kpi-card.ts); `data-kpi`, `data-value`, `data-previous` carry the exact numbers. */
export function kpiCards(kpis: KpiComparison, {customers = null}: KpiCardsOptions = {}): HTMLElement {
  const {current, window, previous, comparison, series, measure} = kpis;
  const card = (key: keyof Kpis, counts?: CustomerCounts | null): HTMLElement => {
    const {format} = KPI_LABELS[key];
    const label = key === "revenue" ? (measure === "net" ? "Net revenue" : "Gross revenue") : KPI_LABELS[key].label;
    const figures =
      key === "customers"
        ? {
            value: counts?.value ?? null,
            window: counts?.window ?? null,
            previous: counts?.previous ?? null,
            series: counts && kpis.steps.map((step) => counts.series.get(step) ?? 0)
          }
        : {value: current[key], window: window?.[key] ?? null, previous: previous?.[key] ?? null, series: series[key]};
    return kpiCard({
      key,
      label,
      format,
      value: figures.value,
      series: figures.series ?? undefined,
      current: window ? figures.window : undefined,
      previous: previous ? figures.previous : null,
      note: previous && figures.value !== null ? (figures.previous === 0 ? "none in the comparison period" : undefined) : undefined
    });
  };
  const {label, format} = KPI_LABELS.customers;
  const waiting = customers instanceof Promise ? kpiCard({key: "customers", label, format, value: null, pending: true, note: "Counting…"}) : null;
  if (waiting)
    (customers as Promise<CustomerCounts>).then(
      (counts) => waiting.replaceWith(card("customers", counts)),
      (error) =>
        waiting.replaceWith(kpiCard({key: "customers", label, format, value: null, note: `Not counted: ${(error as Error)?.message ?? String(error)}`}))
    );
  const cards = (Object.keys(KPI_LABELS) as (keyof Kpis)[]).map((key) =>
    key === "customers" && waiting ? waiting : card(key, customers as CustomerCounts | null)
  );
  return kpiRow(cards, {
    name: "kpis",
    caption: previous
      ? `Change: ${comparison}. Lines: each figure by ${granularityOf(kpis)}.`
      : comparison
        ? `${comparison[0]!.toUpperCase()}${comparison.slice(1)}.`
        : undefined
  });
}
