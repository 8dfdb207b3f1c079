import type {DuckDBConnection} from "@duckdb/node-api";
import {identifier} from "../db.js";
import type {SnapshotColumn} from "../schema/types.js";
import {appendColumns, type AppendType} from "./append.js";

/**
 * Tables in and out of JavaScript, for every stage: query results straight from DuckDB's chunks into typed
 * arrays (several times faster than converting rows), and model results back as rows or as columns.
 */

/** Column types a model stage can write from JavaScript values. */
export type ColumnType = "VARCHAR" | "INTEGER" | "BIGINT" | "DOUBLE" | "BOOLEAN" | "DATE" | "TIMESTAMP";

/**
 * Creates table `name` from plain JavaScript rows (model results), in the given column order and types.
 * DATE and TIMESTAMP values may be Date objects (read with UTC getters: wall-clock time) or ISO strings.
 * NULL for null or undefined; non-finite numbers become NULL too.
 */
export async function writeRows(
  connection: DuckDBConnection,
  name: string,
  columns: readonly (readonly [string, ColumnType])[],
  rows: readonly object[]
): Promise<void> {
  const staging = `${name}__rows`;
  const stagedType = (type: ColumnType): AppendType => (type === "DATE" || type === "TIMESTAMP" ? "VARCHAR" : type);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${identifier(staging)} (${columns.map(([column, type]) => `${identifier(column)} ${stagedType(type)}`).join(", ")})`
  );
  const appender = await connection.createAppender(staging, "main", "temp");
  await appendColumns(
    appender,
    columns.map(([, type]) => stagedType(type)),
    rows.length,
    (c, r) => {
      const [column, type] = columns[c];
      const value = (rows[r] as Record<string, unknown>)[column];
      if (value === null || value === undefined || (typeof value === "number" && !Number.isFinite(value))) return null;
      switch (type) {
        case "VARCHAR":
          return String(value);
        case "INTEGER":
        case "DOUBLE":
          return Number(value);
        case "BIGINT":
          return BigInt(Math.trunc(Number(value)));
        case "BOOLEAN":
          return Boolean(value);
        case "DATE":
          return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
        case "TIMESTAMP":
          return value instanceof Date ? value.toISOString().slice(0, 23).replace("T", " ") : String(value);
      }
    }
  );
  appender.closeSync();
  await connection.run(
    `CREATE OR REPLACE TABLE ${identifier(name)} AS SELECT ${columns
      .map(([column, type]) =>
        type === "DATE" || type === "TIMESTAMP" ? `CAST(${identifier(column)} AS ${type}) AS ${identifier(column)}` : identifier(column)
      )
      .join(", ")} FROM ${identifier(staging)};
     DROP TABLE ${identifier(staging)};`
  );
}

/** A column read by readColumns. */
export type Column = Int32Array | Float64Array | (string | null)[];

/**
 * Runs `sql` and returns each column: INTEGER, SMALLINT and TINYINT as Int32Array (NULL is an error:
 * COALESCE it), other numbers as Float64Array (NULL → NaN), VARCHAR, DATE and TIMESTAMP as strings (NULL →
 * null; dates as YYYY-MM-DD). Anything else is refused: cast it in the query.
 */
export async function readColumns(connection: DuckDBConnection, sql: string): Promise<Record<string, Column>> {
  // Streamed chunk by chunk: a materialised result would hold the whole answer in DuckDB's memory, where it
  // cannot spill and counts against the limit the stages running at once share (50 million basket pairs at
  // 100× the data asked for 1 GiB at once).
  const result = await connection.stream(sql);
  const names = result.columnNames();
  const types = result.columnTypes().map((type) => String(type));
  let capacity = 2048;
  let columns: Column[] = types.map((type, c) => {
    if (/^(INTEGER|SMALLINT|TINYINT)$/.test(type)) return new Int32Array(capacity);
    if (/^(BIGINT|HUGEINT|UINTEGER|USMALLINT|UTINYINT|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(type)) return new Float64Array(capacity);
    if (type === "VARCHAR" || type === "DATE" || type.startsWith("TIMESTAMP")) return [] as (string | null)[];
    throw new Error(`readColumns: column ${names[c]} has type ${type}; cast it to a number or VARCHAR in the query`);
  });
  let at = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const size = chunk.rowCount;
    if (at + size > capacity) {
      while (at + size > capacity) capacity *= 2;
      columns = columns.map((column) => (Array.isArray(column) ? column : grown(column, capacity)));
    }
    columns.forEach((column, c) => {
      const vector = chunk.getColumnVector(c);
      if (column instanceof Int32Array) {
        for (let k = 0; k < size; k++) {
          const value = vector.getItem(k);
          if (value === null) throw new Error(`readColumns: NULL in integer column ${names[c]}; COALESCE it in the query`);
          column[at + k] = value as number;
        }
      } else if (column instanceof Float64Array) {
        for (let k = 0; k < size; k++) {
          const value = vector.getItem(k);
          column[at + k] = value === null ? Number.NaN : Number(typeof value === "object" ? String(value) : value);
        }
      } else {
        for (let k = 0; k < size; k++) {
          const value = vector.getItem(k);
          column[at + k] = value === null ? null : String(value);
        }
      }
    });
    at += size;
  }
  return Object.fromEntries(names.map((name, c) => [name, trimmed(columns[c], at)]));
}

function grown<T extends Int32Array | Float64Array>(column: T, capacity: number): T {
  const bigger = new (column.constructor as new (length: number) => T)(capacity);
  bigger.set(column);
  return bigger;
}

/** The first `rows` values, in a buffer of their own (a view would carry the spare capacity to workers and hashes). */
function trimmed(column: Column, rows: number): Column {
  return Array.isArray(column) || column.length === rows ? column : column.slice(0, rows);
}

/** Typed accessors for `readColumns` results (a wrong type is a bug in the stage's query). */
export function ints(columns: Record<string, Column>, name: string): Int32Array {
  const column = columns[name];
  if (!(column instanceof Int32Array)) throw new Error(`column ${name} is not an INTEGER column`);
  return column;
}

export function numbers(columns: Record<string, Column>, name: string): Float64Array {
  const column = columns[name];
  if (!(column instanceof Float64Array)) throw new Error(`column ${name} is not a floating-point column`);
  return column;
}

export function strings(columns: Record<string, Column>, name: string): (string | null)[] {
  const column = columns[name];
  if (!Array.isArray(column)) throw new Error(`column ${name} is not a VARCHAR column`);
  return column;
}

/** [name, type] pairs of a documented column set, in order: what writeRows wants. */
export function columnsOf(columns: Record<string, SnapshotColumn>): [string, ColumnType][] {
  return Object.entries(columns).map(([name, spec]) => [name, spec.type]);
}

/**
 * Creates table `name` from columns (typed arrays or arrays of the same length): the fast way back for
 * large model outputs, without building a row object per row. INTEGER and DOUBLE only; NaN → NULL.
 */
export async function writeColumns(
  connection: DuckDBConnection,
  name: string,
  columns: readonly (readonly [string, "INTEGER" | "DOUBLE", ArrayLike<number>])[]
): Promise<void> {
  const length = columns[0]?.[2].length ?? 0;
  for (const [column, , values] of columns) {
    if (values.length !== length) throw new Error(`writeColumns: column ${column} has ${values.length} values; expected ${length}`);
  }
  await connection.run(`CREATE OR REPLACE TABLE "${name}" (${columns.map(([column, type]) => `"${column}" ${type}`).join(", ")})`);
  const appender = await connection.createAppender(name);
  await appendColumns(
    appender,
    columns.map(([, type]) => type),
    length,
    (c, row) => {
      const value = columns[c][2][row];
      return Number.isNaN(value) ? null : value;
    }
  );
  appender.closeSync();
}
