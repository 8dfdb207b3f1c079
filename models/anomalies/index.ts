import type {Model} from "../dialect.js";
import {fit, type AnomalyArtefact, type AnomalyFitData} from "./fit.js";
import {defaults, options, type AnomalyOptions} from "./options.js";
import type {Lines} from "./robust.js";
import {score, type AnomalyScores} from "./score.js";

/**
 * Anomalies: robust per-product (and per-customer) baselines of price and quantity, fitted on the fit
 * window's sales lines and evaluated on an injected copy of them; every line of today's data is checked
 * against them. Runs in a worker (`runModel(url, "fit" | "score", …)`).
 */
export {defaults, fit, options, score};
export type {AnomalyArtefact, AnomalyFitData, AnomalyOptions, AnomalyScores};
export {scoringRow} from "./score.js";

export const anomaliesModel = {name: "anomalies", defaults, options, fit, score} satisfies Model<
  AnomalyFitData,
  AnomalyOptions,
  AnomalyArtefact,
  Lines,
  AnomalyScores
>;
