/** The engines the pipeline can run its row-proportional work on. */
export type EngineName = "duckdb" | "clickhouse";
export const ENGINE_NAMES: readonly EngineName[] = ["duckdb", "clickhouse"];
