import {createEngine, engineOptions} from "../engine/engine.js";
import {formatCount} from "../run/format.js";
import type {Stage, StageContext} from "../run/stage.js";

/**
 * Clean: splits raw lines into sales, returns (cancellations) and excluded lines with reasons, and
 * matches each cancellation to the purchases it cancels so marts can report net revenue.
 */
export const cleanStage: Stage = {
  name: "clean",
  description: "Classify raw lines into sales, returns and excluded lines; match returns to purchases",
  inputs: ["raw_lines"],
  outputs: ["sales", "returns", "excluded_lines"],
  module: "loaders/stages/clean.ts",
  options: (options) => ({nonProductCodes: options.nonProductCodes, nonProductPatterns: options.nonProductPatterns, ...engineOptions(options)}),
  run: clean
};

async function clean(context: StageContext) {
  const engine = await createEngine(context.options);
  const summary = await engine.clean(context, context.options);
  const matchedShare = summary.returnedUnits ? Math.round((100 * summary.matchedUnits) / summary.returnedUnits) : 0;
  return {
    cleanup: () => engine.cleanDone(context),
    rowsIn: summary.lines,
    rowsOut: summary.sales,
    detail:
      `${formatCount(summary.sales)} sales, ${formatCount(summary.returns)} returns, ${formatCount(summary.excluded)} excluded; ` +
      `${matchedShare}% of returned units matched to purchases`
  };
}
