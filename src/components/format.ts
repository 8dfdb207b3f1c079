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

/** `YYYY-MM-DD` → 05/12/2011 (the en-GB short date, for date boxes). */
export function formatDayNumeric(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

/** `YYYY-MM-DD` → 5 Dec 2011. */
export function formatIsoDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

/**
 * A typed en-GB date (`5/12/2011`, `05/12/2011`, `5-12-2011`, `5.12.11`) or an ISO one (`2011-12-05`) →
 * `YYYY-MM-DD`; null for an empty box; an Error naming the text when it is not a calendar day.
 */
export function parseDayGB(text: string): string | null | Error {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  let day: number, month: number, year: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  const gb = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(trimmed);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (gb) [day, month, year] = [Number(gb[1]), Number(gb[2]), gb[3]!.length === 2 ? 2000 + Number(gb[3]) : Number(gb[3])];
  else return new Error(`not a date (day/month/year): ${trimmed}`);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return new Error(`no such day: ${trimmed}`);
  return date.toISOString().slice(0, 10);
}
