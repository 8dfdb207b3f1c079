/**
 * Filter state in the URL, so a view is shareable, survives a reload, and back/forward steps through it:
 * `?country=France&country=Germany&product=85123A&from=2011-01-01&to=2011-06-30&revenue=gross`. Dates are
 * inclusive calendar days (`YYYY-MM-DD`); no `from`/`to` means the data's whole range; no `country` means
 * every country, no `product` every product; revenue is net of matched cancellations unless
 * `revenue=gross`. Other query parameters (e.g. the SQL console's `sql`) are left as they are.
 */
export type Measure = "net" | "gross";

export interface Filters {
  /** Selected countries, sorted; empty = all countries. */
  countries: string[];
  /** Selected products (stock codes), sorted; empty = all products. */
  products: string[];
  /** First day included (`YYYY-MM-DD`), or null for the start of the data. */
  from: string | null;
  /** Last day included (`YYYY-MM-DD`), or null for the end of the data. */
  to: string | null;
  /** Revenue net of matched cancellations (the default) or gross. */
  measure: Measure;
}

export const NO_FILTERS: Filters = Object.freeze({countries: [], products: [], from: null, to: null, measure: "net"}) as Filters;

/** The revenue column of the marts and of `sales` for a measure. */
export function revenueColumn(measure: Measure): "net_revenue" | "revenue" {
  return measure === "gross" ? "revenue" : "net_revenue";
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads filters from a query string, ignoring malformed values (a hand-edited URL still opens). */
export function parseFilters(search: string): Filters {
  const params = new URLSearchParams(search);
  const list = (key: string) =>
    [
      ...new Set(
        params
          .getAll(key)
          .map((value) => value.trim())
          .filter(Boolean)
      )
    ].sort();
  const countries = list("country");
  const products = list("product").map((code) => code.toUpperCase());
  const day = (key: string) => {
    const value = params.get(key);
    return value && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : null;
  };
  let from = day("from");
  let to = day("to");
  if (from && to && from > to) [from, to] = [to, from];
  return {countries, products: [...new Set(products)], from, to, measure: params.get("revenue") === "gross" ? "gross" : "net"};
}

/** Writes filters into a query string, keeping every unrelated parameter; returns `?…` or "". */
export function filtersToSearch(filters: Filters, search = ""): string {
  const params = new URLSearchParams(search);
  params.delete("country");
  params.delete("from");
  params.delete("to");
  params.delete("product");
  params.delete("revenue");
  for (const country of [...filters.countries].sort()) params.append("country", country);
  for (const product of [...(filters.products ?? [])].sort()) params.append("product", product);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.measure === "gross") params.set("revenue", "gross");
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function sameFilters(a: Filters, b: Filters): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((value, i) => value === y[i]);
  return a.from === b.from && a.to === b.to && a.measure === b.measure && same(a.countries, b.countries) && same(a.products, b.products);
}

/** Reads one plain parameter (e.g. `sql`) from a query string. */
export function getParam(search: string, name: string): string | null {
  return new URLSearchParams(search).get(name);
}

/** Sets (or, for null/empty, removes) one plain parameter, keeping the others; returns `?…` or "". */
export function setParam(search: string, name: string, value: string | null): string {
  const params = new URLSearchParams(search);
  if (value) params.set(name, value);
  else params.delete(name);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Days between two `YYYY-MM-DD` dates, counting both ends. */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** `YYYY-MM-DD` shifted by whole days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The period of the same length just before [from, to] (inclusive days), for "change vs previous
 * period"; null when the range is open-ended (all time has no previous period).
 */
export function previousPeriod(from: string | null, to: string | null): {from: string; to: string} | null {
  if (!from || !to) return null;
  const length = daysInclusive(from, to);
  return {from: addDays(from, -length), to: addDays(from, -1)};
}

/** `YYYY-MM-DD` shifted by whole calendar months (a day the month lacks rolls over, as in Date). */
export function addMonths(day: string, months: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

export interface Comparison {
  current: {from: string; to: string};
  previous: {from: string; to: string};
  /** "last 6 months vs the 6 before" */
  label: string;
}

/**
 * What the KPI cards compare when no date range is chosen ("All"): the last 12 months against the 12
 * before — or, when the data does not reach back that far, the longest of 6, 3 or 1 months whose previous
 * window the data wholly covers. Null when the data covers less than two months.
 */
export function defaultComparison(first: string, last: string): Comparison | null {
  for (const months of [12, 6, 3, 1]) {
    const from = addDays(addMonths(last, -months), 1);
    const previousFrom = addDays(addMonths(last, -2 * months), 1);
    if (previousFrom < first) continue;
    const span = months === 1 ? "month" : `${months} months`;
    return {
      current: {from, to: last},
      previous: {from: previousFrom, to: addDays(from, -1)},
      label: `last ${span} vs the ${months === 1 ? "month" : months} before`
    };
  }
  return null;
}
