/**
 * Filter state in the URL, so a view is shareable, survives a reload, and back/forward steps through it:
 * `?country=France&country=Germany&from=2011-01-01&to=2011-06-30`. Dates are inclusive calendar days
 * (`YYYY-MM-DD`); no `from`/`to` means the data's whole range; no `country` means every country. Other
 * query parameters (e.g. the SQL console's `sql`) are left as they are.
 */
export interface Filters {
  /** Selected countries, sorted; empty = all countries. */
  countries: string[];
  /** First day included (`YYYY-MM-DD`), or null for the start of the data. */
  from: string | null;
  /** Last day included (`YYYY-MM-DD`), or null for the end of the data. */
  to: string | null;
}

export const NO_FILTERS: Filters = Object.freeze({countries: [], from: null, to: null}) as Filters;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads filters from a query string, ignoring malformed values (a hand-edited URL still opens). */
export function parseFilters(search: string): Filters {
  const params = new URLSearchParams(search);
  const countries = [...new Set(params.getAll("country").map((country) => country.trim()).filter(Boolean))].sort();
  const day = (key: string) => {
    const value = params.get(key);
    return value && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : null;
  };
  let from = day("from");
  let to = day("to");
  if (from && to && from > to) [from, to] = [to, from];
  return {countries, from, to};
}

/** Writes filters into a query string, keeping every unrelated parameter; returns `?…` or "". */
export function filtersToSearch(filters: Filters, search = ""): string {
  const params = new URLSearchParams(search);
  params.delete("country");
  params.delete("from");
  params.delete("to");
  for (const country of [...filters.countries].sort()) params.append("country", country);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function sameFilters(a: Filters, b: Filters): boolean {
  return a.from === b.from && a.to === b.to && a.countries.length === b.countries.length && a.countries.every((country, i) => country === b.countries[i]);
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
