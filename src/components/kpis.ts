/**
 * The headline numbers of a selection of orders (the `orders` snapshot: one row per invoice, so every KPI
 * is exact under any country/date filter), with the change against the previous period of the same length.
 */
import * as aq from "./arquero.js";
import {html} from "htl";
import {filterTable, previousFilters} from "./sales-filter.js";
import type {Filters} from "./url-state.js";

export interface Kpis {
  revenue: number;
  orders: number;
  units: number;
  customers: number;
  averageOrderValue: number;
}

export interface KpiComparison {
  current: Kpis;
  /** Null when there is no previous period (the range is open-ended). */
  previous: Kpis | null;
}

/** KPIs of `orders` (with a `day` column, see withDay) under the filters, and of the previous period. */
export function orderKpis(orders: aq.ColumnTable, filters: Filters): KpiComparison {
  const previous = previousFilters(filters);
  return {current: summarise(filterTable(orders, filters)), previous: previous && summarise(filterTable(orders, previous))};
}

function summarise(orders: aq.ColumnTable): Kpis {
  const revenue = orders.array("revenue") as number[];
  const units = orders.array("units") as number[];
  const customers = new Set<number>();
  for (const id of orders.array("customer_id") as (number | null)[]) if (id !== null && id !== undefined) customers.add(id);
  let revenueSum = 0;
  let unitSum = 0;
  for (let i = 0; i < revenue.length; i++) {
    revenueSum += revenue[i]!;
    unitSum += units[i]!;
  }
  const count = orders.numRows();
  return {revenue: revenueSum, orders: count, units: unitSum, customers: customers.size, averageOrderValue: count ? revenueSum / count : 0};
}

const money = new Intl.NumberFormat("en-GB", {style: "currency", currency: "GBP", maximumFractionDigits: 0});
const money2 = new Intl.NumberFormat("en-GB", {style: "currency", currency: "GBP", minimumFractionDigits: 2, maximumFractionDigits: 2});
const count = new Intl.NumberFormat("en-GB");
const percent = new Intl.NumberFormat("en-GB", {style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero"});

export const KPI_LABELS: Record<keyof Kpis, {label: string; format: (value: number) => string}> = {
  revenue: {label: "Revenue", format: (value) => money.format(value)},
  orders: {label: "Orders", format: (value) => count.format(value)},
  units: {label: "Units", format: (value) => count.format(value)},
  customers: {label: "Customers", format: (value) => count.format(value)},
  averageOrderValue: {label: "Average order value", format: (value) => money2.format(value)}
};

/** One card per KPI; `data-kpi` and `data-value` carry the exact number for tests and tools. */
export function kpiCards({current, previous}: KpiComparison, {previousLabel = "previous period"} = {}): HTMLElement {
  return html`<div class="grid kpi-cards">${(Object.keys(KPI_LABELS) as (keyof Kpis)[]).map((key) => {
    const {label, format} = KPI_LABELS[key];
    const change = previous && previous[key] !== 0 ? current[key] / previous[key] - 1 : null;
    return html`<div class="card kpi" data-kpi=${key} data-value=${String(current[key])} data-previous=${previous ? String(previous[key]) : ""}>
      <h2>${label}</h2>
      <span class="big">${format(current[key])}</span>
      <div class="kpi-change ${change === null ? "" : change >= 0 ? "up" : "down"}">${
        change === null ? (previous ? "no sales in the previous period" : "all time: no previous period") : html`${change >= 0 ? "↑" : "↓"} ${percent.format(change)} vs ${previousLabel} (${format(previous![key])})`
      }</div>
    </div>`;
  })}</div>`;
}
