import type {DuckDBConnection} from "@duckdb/node-api";
import {identifier} from "../db.js";
import {appendColumns, type AppendType} from "./append.js";

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
  await appendColumns(appender, columns.map(([, type]) => stagedType(type)), rows.length, (c, r) => {
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
  });
  appender.closeSync();
  await connection.run(
    `CREATE OR REPLACE TABLE ${identifier(name)} AS SELECT ${columns
      .map(([column, type]) => (type === "DATE" || type === "TIMESTAMP" ? `CAST(${identifier(column)} AS ${type}) AS ${identifier(column)}` : identifier(column)))
      .join(", ")} FROM ${identifier(staging)};
     DROP TABLE ${identifier(staging)};`
  );
}

/**
 * Runs a query and returns its columns as arrays: numeric columns as Float64Array (NULL → NaN), others
 * as plain arrays. The fast way to hand a feature table to a model.
 */
export async function queryColumns(connection: DuckDBConnection, sql: string): Promise<Record<string, Float64Array | unknown[]>> {
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const columns = reader.getColumnsJS();
  const result: Record<string, Float64Array | unknown[]> = {};
  names.forEach((name, index) => {
    const values = columns[index] ?? []; // an empty result has no column chunks
    const typeId = String(types[index]);
    if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(typeId)) {
      const array = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) array[i] = values[i] === null ? Number.NaN : Number(values[i]);
      result[name] = array;
    } else {
      result[name] = values;
    }
  });
  return result;
}
