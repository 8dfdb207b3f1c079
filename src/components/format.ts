/**
 * Number and date formats shared by the model pages (en-GB, pounds). Money shown rounded; pages put the
 * exact value in a `data-value` attribute for tests and tools.
 */
const money0 = new Intl.NumberFormat("en-GB", {style: "currency", currency: "GBP", maximumFractionDigits: 0});
const money2 = new Intl.NumberFormat("en-GB", {style: "currency", currency: "GBP", minimumFractionDigits: 2, maximumFractionDigits: 2});
const count = new Intl.NumberFormat("en-GB");
const compact = new Intl.NumberFormat("en-GB", {notation: "compact", maximumFractionDigits: 1});
const decimal = new Intl.NumberFormat("en-GB", {maximumFractionDigits: 2});

/** £1,234 (whole pounds); `{pence: true}` gives £1,234.56. Null/undefined/NaN give "—". */
export function formatMoney(value: number | null | undefined, {pence = false}: {pence?: boolean} = {}): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return (pence ? money2 : money0).format(value);
}

/** £1.2M, £483k: for axes and tight spaces. */
export function formatMoneyCompact(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return `£${compact.format(value)}`;
}

/** 12.4% from 0.124 (`digits` decimals, default 1). */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return `${(100 * value).toFixed(digits)}%`;
}

/** 1,234 */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return count.format(value);
}

/** 1,234.5 (up to two decimals). */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return decimal.format(value);
}

/** A 0–1 metric such as a ROC-AUC, to 3 decimals. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return value.toFixed(3);
}

/** `YYYY-MM-DD` of a Date holding a wall-clock day in its UTC fields (the snapshots' convention). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const dayFormat = new Intl.DateTimeFormat("en-GB", {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});

/** 5 Dec 2011 */
export function formatDay(date: Date): string {
  return dayFormat.format(date);
}

/** 5 Dec 2011 – 11 Dec 2011, or Dec 2011 for a calendar month. */
export function formatPeriod(start: Date, end: Date, granularity: "week" | "month"): string {
  if (granularity === "month") return new Intl.DateTimeFormat("en-GB", {month: "short", year: "numeric", timeZone: "UTC"}).format(start);
  return `${formatDay(start)} – ${formatDay(end)}`;
}
