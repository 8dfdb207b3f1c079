import type {DuckDBConnection, DuckDBInstance, DuckDBValue} from "@duckdb/node-api";

/** Settings for the run's embedded DuckDB. */
export interface DatabaseSettings {
  threads: number;
  memoryLimit: string;
  /** Folder DuckDB spills to when a query needs more than `memoryLimit`. */
  tempDirectory: string;
}

type DuckDBApi = typeof import("@duckdb/node-api");

/**
 * DuckDB's Node API, loaded on first use, not at import: a run with nothing to do never pays for it. The
 * pipeline's bundle holds the package's CommonJS (loaders/launch.mjs), whose dynamic import then gives
 * its exports as the default export only.
 */
export async function duckdbApi(): Promise<DuckDBApi> {
  const module = await import("@duckdb/node-api");
  return "DuckDBInstance" in module && module.DuckDBInstance ? module : (module as unknown as {default: DuckDBApi}).default;
}

/** Opens an in-memory DuckDB: the pipeline's compute engine (state lives in Parquet files). */
export async function openDatabase({threads, memoryLimit, tempDirectory}: DatabaseSettings): Promise<DuckDBInstance> {
  const {DuckDBInstance} = await duckdbApi();
  return DuckDBInstance.create(":memory:", {
    threads: String(threads),
    memory_limit: memoryLimit,
    temp_directory: tempDirectory,
    preserve_insertion_order: "true",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false"
  });
}

export type Row = Record<string, unknown>;

/** Runs a query and returns plain row objects; BIGINT/HUGEINT values become numbers when exact. */
export async function queryRows<T = Row>(connection: DuckDBConnection, sql: string, values?: DuckDBValue[]): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql, values);
  return reader.getRowObjectsJS().map((row) => {
    for (const key in row) {
      const value = row[key];
      if (typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) {
        (row as Record<string, unknown>)[key] = Number(value);
      }
    }
    return row as T;
  });
}

/** The first row of a query, which must exist. */
export async function queryRow<T = Row>(connection: DuckDBConnection, sql: string, values?: DuckDBValue[]): Promise<T> {
  const [row] = await queryRows<T>(connection, sql, values);
  if (row === undefined) throw new Error(`query returned no rows: ${sql.slice(0, 200)}`);
  return row;
}

/** Quotes a string as a SQL literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Quotes a name as a SQL identifier. */
export function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL list literal of strings, e.g. for `read_parquet([...])`. */
export function listLiteral(values: readonly string[]): string {
  return `[${values.map(literal).join(", ")}]`;
}
