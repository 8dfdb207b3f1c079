import {FileAttachment} from "observablehq:stdlib";

/**
 * Where the browser finds each snapshot: its Parquet file (the contract; the fast path decodes small ones
 * in JavaScript) and its packed read-only DuckDB copy (the SQL path attaches it). Framework only ships
 * files named literally, so when the pipeline publishes a new snapshot, add its line here
 * (test/unit/site-sql-parameters.test.ts checks this list against loaders/schema).
 */
export const SNAPSHOT_FILES: Record<string, {parquet: () => string; packed: () => string}> = {
  raw_lines: {parquet: () => FileAttachment("../data/raw_lines.parquet").href, packed: () => FileAttachment("../data/packed/raw_lines.duckdb").href},
  quarantine: {parquet: () => FileAttachment("../data/quarantine.parquet").href, packed: () => FileAttachment("../data/packed/quarantine.duckdb").href},
  input_files: {parquet: () => FileAttachment("../data/input_files.parquet").href, packed: () => FileAttachment("../data/packed/input_files.duckdb").href},
  sales: {parquet: () => FileAttachment("../data/sales.parquet").href, packed: () => FileAttachment("../data/packed/sales.duckdb").href},
  returns: {parquet: () => FileAttachment("../data/returns.parquet").href, packed: () => FileAttachment("../data/packed/returns.duckdb").href},
  excluded_lines: {
    parquet: () => FileAttachment("../data/excluded_lines.parquet").href,
    packed: () => FileAttachment("../data/packed/excluded_lines.duckdb").href
  },
  orders: {parquet: () => FileAttachment("../data/orders.parquet").href, packed: () => FileAttachment("../data/packed/orders.duckdb").href},
  daily_sales: {parquet: () => FileAttachment("../data/daily_sales.parquet").href, packed: () => FileAttachment("../data/packed/daily_sales.duckdb").href},
  weekly_sales: {parquet: () => FileAttachment("../data/weekly_sales.parquet").href, packed: () => FileAttachment("../data/packed/weekly_sales.duckdb").href},
  monthly_sales: {
    parquet: () => FileAttachment("../data/monthly_sales.parquet").href,
    packed: () => FileAttachment("../data/packed/monthly_sales.duckdb").href
  },
  country_sales: {
    parquet: () => FileAttachment("../data/country_sales.parquet").href,
    packed: () => FileAttachment("../data/packed/country_sales.duckdb").href
  },
  product_performance: {
    parquet: () => FileAttachment("../data/product_performance.parquet").href,
    packed: () => FileAttachment("../data/packed/product_performance.duckdb").href
  },
  customer_metrics: {
    parquet: () => FileAttachment("../data/customer_metrics.parquet").href,
    packed: () => FileAttachment("../data/packed/customer_metrics.duckdb").href
  },
  data_quality: {parquet: () => FileAttachment("../data/data_quality.parquet").href, packed: () => FileAttachment("../data/packed/data_quality.duckdb").href},
  pipeline_runs: {
    parquet: () => FileAttachment("../data/pipeline_runs.parquet").href,
    packed: () => FileAttachment("../data/packed/pipeline_runs.duckdb").href
  },
  rfm_segments: {parquet: () => FileAttachment("../data/rfm_segments.parquet").href, packed: () => FileAttachment("../data/packed/rfm_segments.duckdb").href},
  rfm_segment_summary: {
    parquet: () => FileAttachment("../data/rfm_segment_summary.parquet").href,
    packed: () => FileAttachment("../data/packed/rfm_segment_summary.duckdb").href
  },
  rfm_segment_movement: {
    parquet: () => FileAttachment("../data/rfm_segment_movement.parquet").href,
    packed: () => FileAttachment("../data/packed/rfm_segment_movement.duckdb").href
  },
  customer_segments: {
    parquet: () => FileAttachment("../data/customer_segments.parquet").href,
    packed: () => FileAttachment("../data/packed/customer_segments.duckdb").href
  },
  segment_profiles: {
    parquet: () => FileAttachment("../data/segment_profiles.parquet").href,
    packed: () => FileAttachment("../data/packed/segment_profiles.duckdb").href
  },
  segment_silhouettes: {
    parquet: () => FileAttachment("../data/segment_silhouettes.parquet").href,
    packed: () => FileAttachment("../data/packed/segment_silhouettes.duckdb").href
  },
  churn_scores: {parquet: () => FileAttachment("../data/churn_scores.parquet").href, packed: () => FileAttachment("../data/packed/churn_scores.duckdb").href},
  churn_curves: {parquet: () => FileAttachment("../data/churn_curves.parquet").href, packed: () => FileAttachment("../data/packed/churn_curves.duckdb").href},
  churn_importance: {
    parquet: () => FileAttachment("../data/churn_importance.parquet").href,
    packed: () => FileAttachment("../data/packed/churn_importance.duckdb").href
  },
  sales_forecast: {
    parquet: () => FileAttachment("../data/sales_forecast.parquet").href,
    packed: () => FileAttachment("../data/packed/sales_forecast.duckdb").href
  },
  sales_forecast_backtest: {
    parquet: () => FileAttachment("../data/sales_forecast_backtest.parquet").href,
    packed: () => FileAttachment("../data/packed/sales_forecast_backtest.duckdb").href
  },
  product_demand: {
    parquet: () => FileAttachment("../data/product_demand.parquet").href,
    packed: () => FileAttachment("../data/packed/product_demand.duckdb").href
  },
  recommendations: {
    parquet: () => FileAttachment("../data/recommendations.parquet").href,
    packed: () => FileAttachment("../data/packed/recommendations.duckdb").href
  },
  basket_itemsets: {
    parquet: () => FileAttachment("../data/basket_itemsets.parquet").href,
    packed: () => FileAttachment("../data/packed/basket_itemsets.duckdb").href
  },
  basket_rules: {parquet: () => FileAttachment("../data/basket_rules.parquet").href, packed: () => FileAttachment("../data/packed/basket_rules.duckdb").href},
  basket_suggestions: {
    parquet: () => FileAttachment("../data/basket_suggestions.parquet").href,
    packed: () => FileAttachment("../data/packed/basket_suggestions.duckdb").href
  },
  anomalies: {parquet: () => FileAttachment("../data/anomalies.parquet").href, packed: () => FileAttachment("../data/packed/anomalies.duckdb").href},
  model_metrics: {parquet: () => FileAttachment("../data/model_metrics.parquet").href, packed: () => FileAttachment("../data/packed/model_metrics.duckdb").href}
};

export function snapshotFiles(name: string): {parquet: () => string; packed: () => string} {
  const files = SNAPSHOT_FILES[name];
  if (!files) throw new Error(`unknown snapshot ${JSON.stringify(name)}; known: ${Object.keys(SNAPSHOT_FILES).join(", ")}`);
  return files;
}
