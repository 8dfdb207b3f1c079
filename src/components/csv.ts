/**
 * CSV (RFC 4180) that is safe to open in a spreadsheet: a text cell starting with `=`, `+`, `-`, `@`, a tab
 * or a carriage return would be run as a formula (CSV injection), so it gets a leading apostrophe, which
 * spreadsheets show as plain text. Numbers are written as numbers (a negative number is data, not a
 * formula), dates as `YYYY-MM-DD HH:MM:SS` from their UTC fields (the snapshots' wall-clock convention).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeCsvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  let text = value instanceof Date ? formatDateTime(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatDateTime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19).replace("T", " ");
}

/** A whole CSV document: a header line, then one line per row; lines end with CRLF. */
export function toCsv(columns: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const lines = [columns.map(escapeCsvCell).join(",")];
  for (const row of rows) lines.push(row.map(escapeCsvCell).join(","));
  return lines.join("\r\n") + "\r\n";
}
