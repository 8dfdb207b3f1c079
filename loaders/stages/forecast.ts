import {money, sumMoney} from "../transform/money.js";
import {columnsOf, writeRows, numbers, readColumns, strings} from "../run/table-io.js";
import {fitNote, fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import {SALES_MODEL_SNAPSHOTS} from "../schema/sales-models.js";
import type {ForecastInput} from "../../models/forecast/fit.js";
import type {ForecastArtefact, ForecastScores} from "../../models/forecast/index.js";
import type {Fitted} from "../../models/dialect.js";
import {NOT_FITTED} from "../../models/metrics.js";
import {projectUrl} from "../paths.js";

/** Forecast: weekly and monthly revenue, backtested; publishes sales_forecast, its backtest and forecast_metrics. */
export const forecastStage: Stage = {
  name: "forecast",
  description: "Forecast weekly and monthly revenue (rolling-origin backtest against naive baselines)",
  inputs: ["weekly_sales", "monthly_sales", "daily_sales", "sales", "product_performance"],
  outputs: ["sales_forecast", "sales_forecast_backtest", "product_demand", "forecast_metrics"],
  module: "loaders/stages/forecast.ts",
  refit: "period",
  run: forecast
};

async function forecast({connection, options, runModel, fitted}: StageContext) {
  const window = await fitWindowOf(connection, options.refit);
  // Today's history, and the same periods as the fit saw them: sales through the window's last day, a
  // period not wholly inside the data or the window flagged partial (the model never targets those).
  const period = async (unit: "week" | "month", through: string | null) => {
    const start = `date_trunc('${unit}', date)::DATE`;
    const end = unit === "week" ? `${start} + 6` : `last_day(${start})`;
    const columns = await readColumns(
      connection,
      `SELECT strftime(period, '%Y-%m-%d') AS start, revenue,
         (partial_day OR period < (SELECT min(date) FROM daily_sales) OR ${end.replace(start, "period")} > ${through ? `DATE '${through}'` : "(SELECT max(date) FROM daily_sales)"})::INTEGER AS partial
       FROM (SELECT ${start} AS period, ${sumMoney("revenue")} AS revenue, bool_or(is_partial) AS partial_day
             FROM daily_sales ${through ? `WHERE date <= DATE '${through}'` : ""} GROUP BY ALL)
       ORDER BY start`
    );
    const starts = strings(columns, "start") as string[];
    const partial = columns.partial as Int32Array;
    return {starts, values: numbers(columns, "revenue"), uncovered: starts.filter((_, i) => partial[i] === 1)};
  };
  const inputThrough = async (through: string | null): Promise<ForecastInput> => {
    const days = await readColumns(
      connection,
      `SELECT DISTINCT strftime(date, '%Y-%m-%d') AS day FROM daily_sales ${through ? `WHERE date <= DATE '${through}'` : ""} ORDER BY day`
    );
    return {weekly: await period("week", through), monthly: await period("month", through), tradingDays: strings(days, "day") as string[]};
  };
  const today = await inputThrough(null);
  const fitInput = window ? await inputThrough(window.fittedThrough) : today;
  const model = projectUrl("models/forecast/index.ts");
  const {artefact: fit, reused} = await fitted("forecast", fitInput, window?.fittedThrough ?? "", () =>
    runModel<Fitted<ForecastArtefact>>(model, "fit", fitInput)
  );
  const {weekly, monthly} = fit.artefact;
  const scores = await runModel<ForecastScores>(model, "score", fit.artefact, today);
  await writeRows(connection, "sales_forecast__rows", columnsOf(SALES_MODEL_SNAPSHOTS.sales_forecast.columns), scores.series);
  await writeRows(connection, "sales_forecast_backtest__rows", columnsOf(SALES_MODEL_SNAPSHOTS.sales_forecast_backtest.columns), scores.backtest);
  await connection.run(`
    CREATE OR REPLACE TABLE sales_forecast AS SELECT * FROM sales_forecast__rows ORDER BY granularity DESC, period_start, kind;
    CREATE OR REPLACE TABLE sales_forecast_backtest AS SELECT * FROM sales_forecast_backtest__rows ORDER BY granularity DESC, method, horizon, target_start;
    DROP TABLE sales_forecast__rows; DROP TABLE sales_forecast_backtest__rows;`);
  await connection.run(productDemandSql);
  const anyFitted = weekly.published !== "none" || monthly.published !== "none";
  const why = fit.metrics.filter((row) => row.metric === NOT_FITTED).map((row) => row.details);
  await writeMetrics(connection, "forecast_metrics", fit.metrics, {
    fittedThrough: anyFitted ? (window?.fittedThrough ?? null) : null,
    scoredAsOf: window?.lastDay ?? null
  });
  const mape = (granularity: typeof weekly) => {
    const rows = granularity.metrics.filter((row) => row.role === "published" && row.metric.startsWith("mape"));
    return granularity.published === "none"
      ? "none"
      : `${granularity.published} (MAPE ${rows.map((row) => `${((row.value ?? Number.NaN) * 100).toFixed(1)}%`).join("/")})`;
  };
  return {
    rowsIn: today.weekly.starts.length + today.monthly.starts.length,
    rowsOut: scores.series.length,
    detail: anyFitted
      ? `weekly: ${mape(weekly)}, monthly: ${mape(monthly)}; ${fitNote(window, reused)}`
      : `not fitted (${fitNote(window, reused)}): ${why.join(" ")}`
  };
}

/** Units per product in the last 4 complete weeks against the 4 before (descriptive; see the product_demand schema). */
const productDemandSql = `
  CREATE OR REPLACE TABLE product_demand AS
  WITH weeks AS (
    SELECT week_start, row_number() OVER (ORDER BY week_start DESC) AS age
    FROM (SELECT DISTINCT week_start FROM weekly_sales WHERE NOT is_partial)
  ), recent AS (
    SELECT s.stock_code, w.age, s.quantity, s.revenue, s.customer_id
    FROM sales AS s JOIN weeks AS w ON w.week_start = date_trunc('week', s.invoice_date)::DATE
    WHERE w.age <= 8
  ), summed AS (
    SELECT stock_code,
      coalesce(sum(quantity) FILTER (WHERE age <= 4), 0)::BIGINT AS units_last_4_weeks,
      coalesce(sum(quantity) FILTER (WHERE age > 4), 0)::BIGINT AS units_prior_4_weeks,
      coalesce(CAST(sum(${money("revenue")}) FILTER (WHERE age <= 4) AS DOUBLE), 0) AS revenue_last_4_weeks,
      coalesce(CAST(sum(${money("revenue")}) FILTER (WHERE age > 4) AS DOUBLE), 0) AS revenue_prior_4_weeks,
      count(DISTINCT customer_id) FILTER (WHERE age <= 4)::BIGINT AS customers_last_4_weeks
    FROM recent GROUP BY stock_code
  )
  SELECT stock_code, p.description, (SELECT week_start FROM weeks WHERE age = 1) AS last_week_start,
    units_last_4_weeks, units_prior_4_weeks, revenue_last_4_weeks, revenue_prior_4_weeks, customers_last_4_weeks,
    CASE WHEN units_prior_4_weeks > 0 THEN units_last_4_weeks / units_prior_4_weeks - 1 END AS unit_growth,
    CASE
      WHEN units_prior_4_weeks = 0 THEN 'new'
      WHEN units_last_4_weeks >= 1.25 * units_prior_4_weeks AND units_last_4_weeks >= 20 THEN 'rising'
      WHEN units_last_4_weeks <= 0.75 * units_prior_4_weeks THEN 'falling'
      ELSE 'steady'
    END AS trend
  FROM summed LEFT JOIN product_performance AS p USING (stock_code)
  ORDER BY stock_code`;
