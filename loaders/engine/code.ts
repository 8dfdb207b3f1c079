/**
 * The modules of each engine's implementation, by URL (without importing them: the ClickHouse client is
 * only loaded when that engine runs). Stages that use an engine list these as part of their code version.
 */
const here = (path: string) => new URL(path, import.meta.url).href;

export const ENGINE_CODE = {
  duckdb: [
    here("./duckdb/index.ts"), here("./duckdb/load.ts"), here("./duckdb/load-sql.ts"), here("./duckdb/clean.ts"), here("./duckdb/marts.ts"),
    here("../transform/clean-sql.ts"), here("../transform/marts-sql.ts"), here("../transform/money.ts")
  ],
  clickhouse: [
    here("./clickhouse/index.ts"), here("./clickhouse/load.ts"), here("./clickhouse/typing-sql.ts"), here("./clickhouse/records.ts"),
    here("./clickhouse/clean.ts"), here("./clickhouse/marts.ts"), here("./clickhouse/schema.ts"), here("./clickhouse/connect.ts"),
    here("./clickhouse/cluster.ts"), here("./clickhouse/sql.ts")
  ],
  shared: [here("./engine.ts"), here("../transform/match-returns.ts"), here("../extract/staging.ts")]
};

/** Every engine's modules: a stage's result depends on whichever engine its options choose. */
export const ALL_ENGINE_CODE = [...ENGINE_CODE.shared, ...ENGINE_CODE.duckdb, ...ENGINE_CODE.clickhouse];

/** The options that decide where an engine stage's rows live (part of those stages' fingerprints). */
export function engineOptions(options: {engine: string; clickhouseUrl: string; clickhouseCluster: string; clickhouseDatabase: string}) {
  return options.engine === "clickhouse"
    ? {engine: options.engine, url: options.clickhouseUrl, cluster: options.clickhouseCluster, database: options.clickhouseDatabase}
    : {engine: options.engine};
}
