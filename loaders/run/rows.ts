import type {DuckDBConnection} from "@duckdb/node-api";
import {identifier} from "../db.js";

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
  const stagedType = (type: ColumnType) => (type === "DATE" || type === "TIMESTAMP" ? "VARCHAR" : type);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${identifier(staging)} (${columns.map(([column, type]) => `${identifier(column)} ${stagedType(type)}`).join(", ")})`
  );
  const appender = await connection.createAppender(staging, "main", "temp");
  for (const row of rows) {
    for (const [column, type] of columns) {
      const value = (row as Record<string, unknown>)[column];
      if (value === null || value === undefined || (typeof value === "number" && !Number.isFinite(value))) {
        appender.appendNull();
        continue;
      }
      switch (type) {
        case "VARCHAR":
          appender.appendVarchar(String(value));
          break;
        case "INTEGER":
          appender.appendInteger(Number(value));
          break;
        case "BIGINT":
          appender.appendBigInt(BigInt(Math.trunc(Number(value))));
          break;
        case "DOUBLE":
          appender.appendDouble(Number(value));
          break;
        case "BOOLEAN":
          appender.appendBoolean(Boolean(value));
          break;
        case "DATE":
          appender.appendVarchar(value instanceof Date ? value.toISOString().slice(0, 10) : String(value));
          break;
        case "TIMESTAMP":
          appender.appendVarchar(value instanceof Date ? value.toISOString().slice(0, 23).replace("T", " ") : String(value));
          break;
      }
    }
    appender.endRow();
  }
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
