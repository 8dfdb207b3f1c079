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

/** The name nearest `name` by edit distance, if it is at most two edits (or a third of the name) away. */
function closest(name: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of names) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
