/**
 * Rows decoded on the fast path (plain objects from `loadTable(...).objects()`) as an Apache Arrow table
 * with the snapshot's own column types, so `downloadButtons` can save exactly the rows a page shows — as
 * CSV and as a typed Parquet file — without asking DuckDB-WASM for them again.
 *
 *   const schema = await FileAttachment("data/schema.json").json();
 *   downloadButtons(() => rowsToArrow(rows, snapshotColumns(schema, "anomalies")), {filename: "anomalies"});
 */
import type {Table} from "apache-arrow";

/** The snapshot contract's column types (loaders/schema/types.ts). */
export type ColumnType = "VARCHAR" | "BIGINT" | "INTEGER" | "DOUBLE" | "BOOLEAN" | "DATE" | "TIMESTAMP";

export interface TypedColumn {
  name: string;
  type: ColumnType;
}

/** One table of `data/schema.json` (written by loaders/site/packed.ts from loaders/schema). */
export interface SchemaTable {
  name: string;
  columns: {name: string; type: string}[];
}

const TYPES: readonly string[] = ["VARCHAR", "BIGINT", "INTEGER", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP"];

/**
 * Columns of snapshot `table` with their types, all of them or the ones named (in that order). Unknown
 * names throw, listing the table's columns.
 */
export function snapshotColumns(schema: readonly SchemaTable[], table: string, names?: readonly string[]): TypedColumn[] {
  const spec = schema.find((entry) => entry.name === table);
  if (!spec) throw new Error(`no snapshot ${JSON.stringify(table)} in the schema; snapshots: ${schema.map((entry) => entry.name).join(", ")}`);
  const pick = names ?? spec.columns.map((column) => column.name);
  return pick.map((name) => {
    const column = spec.columns.find((entry) => entry.name === name);
    if (!column)
      throw new Error(`snapshot ${table} has no column ${JSON.stringify(name)}; its columns are ${spec.columns.map((entry) => entry.name).join(", ")}`);
    if (!TYPES.includes(column.type)) throw new Error(`column ${table}.${name} has type ${column.type}, which rowsToArrow cannot write`);
    return {name, type: column.type as ColumnType};
  });
}

/**
 * An Arrow table of `rows` with exactly `columns`, in order. Values are those the fast path gives: numbers
 * (BIGINT too), strings, booleans, Dates holding wall-clock times in their UTC fields, or null. A value of
 * the wrong kind throws, naming the column, the row and the value.
 */
export async function rowsToArrow(rows: readonly Record<string, unknown>[], columns: readonly TypedColumn[]): Promise<Table> {
  const arrow = await import("apache-arrow");
  const types = {
    VARCHAR: () => new arrow.Utf8(),
    BIGINT: () => new arrow.Int64(),
    INTEGER: () => new arrow.Int32(),
    DOUBLE: () => new arrow.Float64(),
    BOOLEAN: () => new arrow.Bool(),
    DATE: () => new arrow.DateDay(),
    TIMESTAMP: () => new arrow.TimestampMillisecond()
  } satisfies Record<ColumnType, () => unknown>;
  const vectors: Record<string, ReturnType<typeof arrow.vectorFromArray>> = {};
  for (const {name, type} of columns) {
    const values = rows.map((row, index) => toArrowValue(row[name], type, name, index));
    vectors[name] = arrow.vectorFromArray(values, types[type]() as never);
  }
  return new arrow.Table(vectors);
}

function toArrowValue(value: unknown, type: ColumnType, column: string, row: number): unknown {
  if (value === null || value === undefined) return null;
  const wrong = () => new Error(`rowsToArrow: column ${column} (${type}), row ${row}: cannot write ${typeof value} ${JSON.stringify(value)}`);
  switch (type) {
    case "VARCHAR":
      if (typeof value !== "string") throw wrong();
      return value;
    case "BIGINT":
      if (typeof value === "bigint") return value;
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrong();
      return BigInt(value);
    case "INTEGER":
    case "DOUBLE":
      if (typeof value === "bigint") return Number(value);
      if (typeof value !== "number") throw wrong();
      return value;
    case "BOOLEAN":
      if (typeof value !== "boolean") throw wrong();
      return value;
    case "DATE":
    case "TIMESTAMP":
      if (value instanceof Date) return type === "DATE" ? value : value.getTime();
      if (typeof value === "number") return type === "DATE" ? new Date(value) : value;
      throw wrong();
  }
}
