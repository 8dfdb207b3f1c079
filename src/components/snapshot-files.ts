import {FileAttachment} from "observablehq:stdlib";
import "./pipeline-status.js"; // the failed-run banner, on every page that reads a snapshot

/** How the browser reads a snapshot (loaders/schema's `browser`): decoded whole, or read over range requests. */
export type SnapshotForm = "parquet" | "packed";

export interface SnapshotFile {
  form: SnapshotForm;
  /** The file's URL in the built site (Framework adds a content hash to its name). */
  url: () => string;
}

/**
 * Where the browser finds each snapshot, in the one form the site ships it (loaders/site/publish.ts):
 * small ones as Parquet (decoded in JavaScript on the fast path, loaded whole into DuckDB-WASM for SQL),
 * line-grain ones as a packed read-only DuckDB file read over HTTP range requests. Framework only ships
 * files named literally, so when the pipeline publishes a new snapshot, add its line here
 * (test/unit/site-sql-parameters.test.ts checks this list against loaders/schema).
 */
export const SNAPSHOT_FILES: Record<string, SnapshotFile> = {
  raw_lines: {form: "packed", url: () => FileAttachment("../data/packed/raw_lines.duckdb").href},
  quarantine: {form: "packed", url: () => FileAttachment("../data/packed/quarantine.duckdb").href},
  input_files: {form: "parquet", url: () => FileAttachment("../data/input_files.parquet").href},
  sales: {form: "packed", url: () => FileAttachment("../data/packed/sales.duckdb").href},
  returns: {form: "packed", url: () => FileAttachment("../data/packed/returns.duckdb").href},
  excluded_lines: {form: "packed", url: () => FileAttachment("../data/packed/excluded_lines.duckdb").href},
  orders: {form: "packed", url: () => FileAttachment("../data/packed/orders.duckdb").href},
  daily_sales: {form: "parquet", url: () => FileAttachment("../data/daily_sales.parquet").href},
  weekly_sales: {form: "parquet", url: () => FileAttachment("../data/weekly_sales.parquet").href},
  monthly_sales: {form: "parquet", url: () => FileAttachment("../data/monthly_sales.parquet").href},
  monthly_product_sales: {form: "packed", url: () => FileAttachment("../data/packed/monthly_product_sales.duckdb").href},
  country_sales: {form: "parquet", url: () => FileAttachment("../data/country_sales.parquet").href},
  product_performance: {form: "parquet", url: () => FileAttachment("../data/product_performance.parquet").href},
  customer_metrics: {form: "parquet", url: () => FileAttachment("../data/customer_metrics.parquet").href},
  data_quality: {form: "parquet", url: () => FileAttachment("../data/data_quality.parquet").href},
  pipeline_runs: {form: "parquet", url: () => FileAttachment("../data/pipeline_runs.parquet").href},
  rfm_segments: {form: "parquet", url: () => FileAttachment("../data/rfm_segments.parquet").href},
  rfm_segment_summary: {form: "parquet", url: () => FileAttachment("../data/rfm_segment_summary.parquet").href},
  rfm_segment_movement: {form: "parquet", url: () => FileAttachment("../data/rfm_segment_movement.parquet").href},
  customer_segments: {form: "parquet", url: () => FileAttachment("../data/customer_segments.parquet").href},
  segment_profiles: {form: "parquet", url: () => FileAttachment("../data/segment_profiles.parquet").href},
  segment_silhouettes: {form: "parquet", url: () => FileAttachment("../data/segment_silhouettes.parquet").href},
  churn_scores: {form: "parquet", url: () => FileAttachment("../data/churn_scores.parquet").href},
  churn_curves: {form: "parquet", url: () => FileAttachment("../data/churn_curves.parquet").href},
  churn_importance: {form: "parquet", url: () => FileAttachment("../data/churn_importance.parquet").href},
  sales_forecast: {form: "parquet", url: () => FileAttachment("../data/sales_forecast.parquet").href},
  sales_forecast_backtest: {form: "parquet", url: () => FileAttachment("../data/sales_forecast_backtest.parquet").href},
  product_demand: {form: "parquet", url: () => FileAttachment("../data/product_demand.parquet").href},
  recommendations: {form: "packed", url: () => FileAttachment("../data/packed/recommendations.duckdb").href},
  recommended_products: {form: "parquet", url: () => FileAttachment("../data/recommended_products.parquet").href},
  basket_itemsets: {form: "parquet", url: () => FileAttachment("../data/basket_itemsets.parquet").href},
  basket_rules: {form: "parquet", url: () => FileAttachment("../data/basket_rules.parquet").href},
  basket_suggestions: {form: "parquet", url: () => FileAttachment("../data/basket_suggestions.parquet").href},
  anomalies: {form: "parquet", url: () => FileAttachment("../data/anomalies.parquet").href},
  model_metrics: {form: "parquet", url: () => FileAttachment("../data/model_metrics.parquet").href}
};

export function snapshotFile(name: string): SnapshotFile {
  const file = SNAPSHOT_FILES[name];
  if (!file) throw new Error(`unknown snapshot ${JSON.stringify(name)}; known: ${Object.keys(SNAPSHOT_FILES).join(", ")}`);
  return file;
}
