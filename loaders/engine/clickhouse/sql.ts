/**
 * Values in ClickHouse SQL. ClickHouse 18.16 has no query parameters, so every value the pipeline puts
 * in a query (file hashes, paths, stock codes from the options) goes through these escapers; the data
 * itself only ever travels in INSERT streams.
 */

/** A ClickHouse string literal: backslash and single quote escaped, control characters written out. */
export function chString(value: string): string {
  return `'${value.replace(/[\\'\u0000-\u001f]/g, (char) => {
    switch (char) {
      case "\\":
        return "\\\\";
      case "'":
        return "\\'";
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`;
    }
  })}'`;
}

/** A ClickHouse array literal of strings. */
export function chStrings(values: readonly string[]): string {
  return `[${values.map(chString).join(", ")}]`;
}

/** A ClickHouse identifier (database or table name): only plain names are accepted. */
export function chIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid ClickHouse name; use letters, digits and underscores: ${JSON.stringify(name)}`);
  return name;
}

/** One field of a TabSeparated INSERT row: NULL as \N, special characters backslash-escaped. */
export function tsvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  return String(value).replace(/[\\\t\n\r]/g, (char) => (char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r"));
}

/** The right side of `x IN …` for strings (ClickHouse 18.16 has no `IN array`); never empty. */
export function chSet(values: readonly string[]): string {
  return values.length === 0 ? "(SELECT '' WHERE 0)" : `(${values.map(chString).join(", ")})`;
}
