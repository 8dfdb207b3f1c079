/** Reading Arrow columns the way the snapshots mean them (see the gotchas in src/components/README.md). */
import type {DataType, Vector} from "apache-arrow";

// Arrow's type ids (apache-arrow's `Type` enum), inlined so the fast path need not load apache-arrow.
const Type = {Int: 2, Date: 8, Timestamp: 10} as const;

/** A column as plain JS values: BigInt → number, TIMESTAMP/DATE → Date (wall-clock time in UTC fields). */
export function arrowColumnValues(vector: Vector): unknown[] {
  const type = vector.type as DataType;
  const values: unknown[] = new Array(vector.length);
  for (let i = 0; i < vector.length; i++) values[i] = toJs(vector.get(i), type);
  return values;
}

export function toJs(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if ((type.typeId === Type.Timestamp || type.typeId === Type.Date) && typeof value === "number") return new Date(value);
  return value;
}

/** Rows of an Arrow table as arrays of plain JS values, column by column in `columns` order. */
export function* arrowRows(
  table: {numRows: number; getChild(name: string): Vector | null; schema: {fields: {name: string; type: DataType}[]}},
  columns: readonly string[]
): Generator<unknown[]> {
  const vectors = columns.map((name) => table.getChild(name)!);
  const types = vectors.map((vector) => vector.type as DataType);
  for (let row = 0; row < table.numRows; row++) yield vectors.map((vector, i) => toJs(vector.get(row), types[i]!));
}

const number = new Intl.NumberFormat("en-GB", {maximumFractionDigits: 2});

/** Text for a table cell. */
export function formatCell(value: unknown, type: DataType): string {
  const js = toJs(value, type);
  if (js === null) return "";
  if (js instanceof Date) {
    const iso = js.toISOString();
    return type.typeId === Type.Date || iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 16).replace("T", " ");
  }
  if (typeof js === "number") return type.typeId === Type.Int ? String(js) : number.format(js);
  return String(js);
}
