import {closest} from "../shared/closest.js";

/**
 * DuckDB's message for a table that does not exist, made useful in this site: DuckDB suggests the
 * nearest name in its own catalog (often `pg_tablespace`); this suggests the nearest snapshot and lists
 * them all. Other messages pass through unchanged.
 */
export function explainSqlError(message: string, snapshots: readonly string[]): string {
  const missing = /Table with name "?([\w]+)"? does not exist/.exec(message)?.[1];
  if (!missing || snapshots.includes(missing)) return message;
  const lines = message.split("\n").filter((line) => !/^Did you mean /.test(line));
  const close = closest(missing, snapshots);
  lines.splice(1, 0, `${close ? `Did you mean "${close}"? ` : ""}The snapshots you can query: ${snapshots.join(", ")}.`);
  return lines.join("\n");
}
