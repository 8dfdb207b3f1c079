import type {DuckDBConnection, DuckDBDataChunk} from "@duckdb/node-api";
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
  const readers = types.map((type, c): ColumnReader => {
    if (/^(INTEGER|SMALLINT|TINYINT)$/.test(type)) return new NumberReader(Int32Array, names[c]);
    if (/^(BIGINT|HUGEINT|UINTEGER|USMALLINT|UTINYINT|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(type)) return new NumberReader(Float64Array, names[c]);
    if (type === "VARCHAR" || type === "DATE" || type.startsWith("TIMESTAMP")) return new StringReader();
    throw new Error(`readColumns: column ${names[c]} has type ${type}; cast it to a number or VARCHAR in the query`);
  });
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const size = chunk.rowCount;
    readers.forEach((reader, c) => reader.read(chunk.getColumnVector(c), size));
  }
  return Object.fromEntries(names.map((name, c) => [name, readers[c].finish()]));
}

interface ColumnReader {
  read(vector: DuckDBVector, size: number): void;
  finish(): Column;
}

type DuckDBVector = ReturnType<DuckDBDataChunk["getColumnVector"]>;

/** Rows per block a numeric column is gathered in before the one copy into its own buffer. */
const BLOCK_ROWS = 65_536;

/**
 * A numeric column, gathered in blocks and copied once into a buffer of its exact length (no doubling,
 * no trimming: at the sizes the models read, the garbage of those copies cost more than the reading).
 */
class NumberReader<T extends Int32Array | Float64Array> implements ColumnReader {
  private readonly blocks: T[] = [];
  private block: T;
  private filled = 0;
  private rows = 0;

  constructor(
    private readonly type: {new (length: number): T},
    private readonly name: string
  ) {
    this.block = new type(BLOCK_ROWS);
  }

  read(vector: DuckDBVector, size: number): void {
    const fast = bulkItems(vector, this.block);
    for (let from = 0; from < size;) {
      if (this.filled === BLOCK_ROWS) {
        this.blocks.push(this.block);
        this.block = new this.type(BLOCK_ROWS);
        this.filled = 0;
      }
      const count = Math.min(size - from, BLOCK_ROWS - this.filled);
      if (fast) {
        this.block.set(fast.items.subarray(from, from + count), this.filled);
        if (fast.validity) this.markNulls(fast.validity, from, count);
      } else {
        for (let k = 0; k < count; k++) this.block[this.filled + k] = this.value(vector.getItem(from + k));
      }
      this.filled += count;
      from += count;
    }
    this.rows += size;
  }

  /** Sets the values the validity mask marks as NULL (rows from…from+count of the chunk, at `filled` in the block). */
  private markNulls(validity: BigUint64Array, from: number, count: number): void {
    for (let k = 0; k < count;) {
      const bit = from + k;
      const word = validity[bit >>> 6];
      if (word === ALL_VALID && (bit & 63) === 0 && count - k >= 64) {
        k += 64;
        continue;
      }
      if ((word & (1n << BigInt(bit & 63))) === 0n) this.block[this.filled + k] = this.value(null);
      k++;
    }
  }

  private value(item: unknown): number {
    if (this.block instanceof Int32Array) {
      if (item === null) throw new Error(`readColumns: NULL in integer column ${this.name}; COALESCE it in the query`);
      return item as number;
    }
    return item === null ? Number.NaN : Number(typeof item === "object" ? String(item) : item);
  }

  finish(): T {
    const column = new this.type(this.rows);
    let at = 0;
    for (const block of this.blocks) {
      column.set(block, at);
      at += block.length;
    }
    column.set(this.block.subarray(0, this.filled), at);
    return column;
  }
}

class StringReader implements ColumnReader {
  private readonly values: (string | null)[] = [];
  read(vector: DuckDBVector, size: number): void {
    for (let k = 0; k < size; k++) {
      const value = vector.getItem(k);
      this.values.push(value === null ? null : String(value));
    }
  }
  finish(): (string | null)[] {
    return this.values;
  }
}

const ALL_VALID = 0xffff_ffff_ffff_ffffn;

/**
 * The vector's values as a typed array of the column's own type, and its validity mask (null: no NULL),
 * to copy in one call instead of value by value. It reads the Node API's vector fields (`items`,
 * `validity.data`; @duckdb/node-api is pinned): where they are not there as expected, null, and the
 * values are read one by one.
 */
function bulkItems(vector: unknown, like: Int32Array | Float64Array): {items: Int32Array | Float64Array; validity: BigUint64Array | null} | null {
  const {items, validity} = vector as {items?: unknown; validity?: {data?: unknown; offset?: unknown}};
  if (!validity || validity.offset !== 0 || !(validity.data === null || validity.data instanceof BigUint64Array)) return null;
  const sameType = (items instanceof Int32Array && like instanceof Int32Array) || (items instanceof Float64Array && like instanceof Float64Array);
  return sameType ? {items, validity: validity.data} : null;
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
