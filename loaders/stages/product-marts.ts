import {createEngine, engineOptions} from "../engine/engine.js";
import {formatCount} from "../run/format.js";
import type {Stage, StageContext} from "../run/stage.js";

/**
 * Product marts: each product's sales by month and country. A stage of its own, beside `marts`, so the
 * two read `sales` at the same time.
 */
export const productMartsStage: Stage = {
  name: "product_marts",
  description: "Sum each product's sold lines by month and country",
  inputs: ["sales"],
  outputs: ["monthly_product_sales"],
  module: "loaders/stages/product-marts.ts",
  options: engineOptions,
  run: productMarts
};

async function productMarts(context: StageContext) {
  const summary = await (await createEngine(context.options)).productMarts(context);
  return {
    rowsIn: summary.sales,
    rowsOut: summary.months,
    detail: `${formatCount(summary.months)} product months`
  };
}
