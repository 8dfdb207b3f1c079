import {createEngine, engineOptions} from "../engine/engine.js";
import {formatCount} from "../run/format.js";
import type {Stage, StageContext} from "../run/stage.js";

/** Marts: orders, daily/weekly/monthly sales by country, country, product and customer summaries. */
export const martsStage: Stage = {
  name: "marts",
  description: "Aggregate sales and returns into orders, period, country, product and customer marts",
  inputs: ["sales", "returns"],
  outputs: ["orders", "daily_sales", "weekly_sales", "monthly_sales", "country_sales", "product_performance", "customer_metrics"],
  module: "loaders/stages/marts.ts",
  options: engineOptions,
  run: marts
};

async function marts(context: StageContext) {
  const summary = await (await createEngine(context.options)).marts(context);
  return {
    rowsIn: summary.sales,
    rowsOut: summary.orders,
    detail: `${formatCount(summary.orders)} orders, ${formatCount(summary.customers)} customers, ${formatCount(summary.products)} products`
  };
}
