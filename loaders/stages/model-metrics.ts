import {identifier} from "../db.js";
import {MODEL_METRICS_COLUMNS} from "../schema/model-metrics.js";
import type {Stage, StageContext} from "../run/stage.js";

/**
 * The `<model>_metrics` tables of the model stages, unioned into the `model_metrics` snapshot. A model
 * stage adds its table here; each must have exactly the columns of MODEL_METRICS_COLUMNS.
 */
export const MODEL_METRIC_TABLES: string[] = [
  "rfm_metrics",
  "segmentation_metrics",
  "churn_metrics",
  "forecast_metrics",
  "recommendations_metrics",
  "basket_metrics",
  "anomalies_metrics"
];

export const modelMetricsStage: Stage = {
  name: "model_metrics",
  description: "Collect every model's evaluation into model_metrics",
  inputs: MODEL_METRIC_TABLES,
  outputs: ["model_metrics"],
  module: "loaders/stages/model-metrics.ts",
  run: collect
};

async function collect({connection}: StageContext) {
  const columns = Object.entries(MODEL_METRICS_COLUMNS);
  const list = columns.map(([name]) => identifier(name)).join(", ");
  const empty = `SELECT ${columns.map(([name, spec]) => `NULL::${spec.type} AS ${identifier(name)}`).join(", ")} WHERE false`;
  const parts = MODEL_METRIC_TABLES.map((table) => `SELECT ${list} FROM ${identifier(table)}`);
  await connection.run(
    `CREATE OR REPLACE TABLE model_metrics AS SELECT * FROM (${[empty, ...parts].join(" UNION ALL ")}) ORDER BY model, role, method, metric, split`
  );
  return {detail: `${MODEL_METRIC_TABLES.length} models`};
}
