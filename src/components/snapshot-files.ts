import {FileAttachment} from "observablehq:stdlib";

/**
 * Where the browser finds each snapshot: its Parquet file (the contract; the fast path decodes small ones
 * in JavaScript) and its packed read-only DuckDB copy (the SQL path attaches it). Framework only ships
 * files named literally, so when the pipeline publishes a new snapshot, add its line here
 * (test/unit/site-snapshot-files.test.ts checks this list against loaders/schema).
 */
export const SNAPSHOT_FILES: Record<string, {parquet: () => string; packed: () => string}> = {
  raw_lines: {parquet: () => FileAttachment("../data/raw_lines.parquet").href, packed: () => FileAttachment("../data/packed/raw_lines.duckdb").href},
  quarantine: {parquet: () => FileAttachment("../data/quarantine.parquet").href, packed: () => FileAttachment("../data/packed/quarantine.duckdb").href},
  input_files: {parquet: () => FileAttachment("../data/input_files.parquet").href, packed: () => FileAttachment("../data/packed/input_files.duckdb").href},
  sales: {parquet: () => FileAttachment("../data/sales.parquet").href, packed: () => FileAttachment("../data/packed/sales.duckdb").href},
  returns: {parquet: () => FileAttachment("../data/returns.parquet").href, packed: () => FileAttachment("../data/packed/returns.duckdb").href},
  excluded_lines: {parquet: () => FileAttachment("../data/excluded_lines.parquet").href, packed: () => FileAttachment("../data/packed/excluded_lines.duckdb").href},
  orders: {parquet: () => FileAttachment("../data/orders.parquet").href, packed: () => FileAttachment("../data/packed/orders.duckdb").href},
  daily_sales: {parquet: () => FileAttachment("../data/daily_sales.parquet").href, packed: () => FileAttachment("../data/packed/daily_sales.duckdb").href},
  weekly_sales: {parquet: () => FileAttachment("../data/weekly_sales.parquet").href, packed: () => FileAttachment("../data/packed/weekly_sales.duckdb").href},
  monthly_sales: {parquet: () => FileAttachment("../data/monthly_sales.parquet").href, packed: () => FileAttachment("../data/packed/monthly_sales.duckdb").href},
  country_sales: {parquet: () => FileAttachment("../data/country_sales.parquet").href, packed: () => FileAttachment("../data/packed/country_sales.duckdb").href},
  product_performance: {parquet: () => FileAttachment("../data/product_performance.parquet").href, packed: () => FileAttachment("../data/packed/product_performance.duckdb").href},
  customer_metrics: {parquet: () => FileAttachment("../data/customer_metrics.parquet").href, packed: () => FileAttachment("../data/packed/customer_metrics.duckdb").href},
  data_quality: {parquet: () => FileAttachment("../data/data_quality.parquet").href, packed: () => FileAttachment("../data/packed/data_quality.duckdb").href},
  pipeline_runs: {parquet: () => FileAttachment("../data/pipeline_runs.parquet").href, packed: () => FileAttachment("../data/packed/pipeline_runs.duckdb").href},
  model_metrics: {parquet: () => FileAttachment("../data/model_metrics.parquet").href, packed: () => FileAttachment("../data/packed/model_metrics.duckdb").href}
};

export function snapshotFiles(name: string): {parquet: () => string; packed: () => string} {
  const files = SNAPSHOT_FILES[name];
  if (!files) throw new Error(`unknown snapshot ${JSON.stringify(name)}; known: ${Object.keys(SNAPSHOT_FILES).join(", ")}`);
  return files;
}
