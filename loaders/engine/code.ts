/**
 * The modules of each engine's implementation, by path from the project root (without importing them: the
 * ClickHouse client is only loaded when that engine runs). Stages that use an engine list these as part of
 * their code version.
 */

export const ENGINE_CODE = {
  duckdb: [
    "loaders/engine/duckdb/index.ts", "loaders/engine/duckdb/load.ts", "loaders/engine/duckdb/load-sql.ts", "loaders/engine/duckdb/clean.ts", "loaders/engine/duckdb/marts.ts",
    "loaders/transform/clean-sql.ts", "loaders/transform/marts-sql.ts", "loaders/transform/money.ts"
  ],
  clickhouse: [
    "loaders/engine/clickhouse/index.ts", "loaders/engine/clickhouse/load.ts", "loaders/engine/clickhouse/typing-sql.ts", "loaders/engine/clickhouse/records.ts",
    "loaders/engine/clickhouse/clean.ts", "loaders/engine/clickhouse/marts.ts", "loaders/engine/clickhouse/schema.ts", "loaders/engine/clickhouse/connect.ts",
    "loaders/engine/clickhouse/cluster.ts", "loaders/engine/clickhouse/sql.ts"
  ],
  shared: ["loaders/engine/engine.ts", "loaders/transform/match-returns.ts", "loaders/extract/staging.ts"]
};

/** Every engine's modules: a stage's result depends on whichever engine its options choose. */
export const ALL_ENGINE_CODE = [...ENGINE_CODE.shared, ...ENGINE_CODE.duckdb, ...ENGINE_CODE.clickhouse];

/** The options that decide where an engine stage's rows live (part of those stages' fingerprints). */
export function engineOptions(options: {engine: string; clickhouseUrl: string; clickhouseCluster: string; clickhouseDatabase: string}) {
  return options.engine === "clickhouse"
    ? {engine: options.engine, url: options.clickhouseUrl, cluster: options.clickhouseCluster, database: options.clickhouseDatabase}
    : {engine: options.engine};
}
