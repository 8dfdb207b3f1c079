/**
 * Turns a tagged template's parts into SQL text with `?` placeholders and the values to bind: values are
 * never spliced into the text. Arrays expand to one placeholder per element (an empty array to NULL, so
 * `IN (${[]})` matches nothing). Dates are bound as wall-clock timestamps (`YYYY-MM-DD HH:MM:SS.mmm` from
 * their UTC fields, matching how the snapshots' TIMESTAMPs arrive); BigInts as numbers when exact.
 */
export function bindParameters(strings: readonly string[], values: readonly unknown[]): {text: string; params: unknown[]} {
  let text = strings[0] ?? "";
  const params: unknown[] = [];
  values.forEach((value, index) => {
    if (Array.isArray(value)) {
      text += value.length === 0 ? "NULL" : value.map(() => "?").join(", ");
      params.push(...value.map(toParameter));
    } else {
      text += "?";
      params.push(toParameter(value));
    }
    text += strings[index + 1] ?? "";
  });
  return {text, params};
}

function toParameter(value: unknown): unknown {
  if (value instanceof Date) return formatTimestamp(value);
  if (typeof value === "bigint") return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(value);
  if (value === undefined) return null;
  return value;
}

/** `2011-12-09 12:50:00.000` from a Date's UTC fields (the snapshots' wall-clock convention). */
export function formatTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error(`cannot bind an invalid Date as a SQL parameter`);
  return date.toISOString().replace("T", " ").replace("Z", "");
}
