import type {Fitted, Model} from "../dialect.js";
import {fitRecommendations, type RecommendArtefact, type RecommendData} from "./fit.js";
import {RECOMMEND_DEFAULTS, recommendOptions, type RecommendOptions} from "./options.js";
import {scoreRecommendations, type RecommendationLists} from "./score.js";

/**
 * Product recommendations in the model dialect (models/dialect.ts): `fit` on the fit window's purchases
 * (ALS factors, each customer's ALS shortlist, the blend's weights, and the evaluation), `score` on
 * today's purchases (the lists; ranking only, no ALS).
 */
export const defaults = RECOMMEND_DEFAULTS;
export const options = recommendOptions;

export function fit(data: RecommendData, partial?: Partial<RecommendOptions>): Fitted<RecommendArtefact> {
  return fitRecommendations(data, partial);
}

export function score(artefact: RecommendArtefact, data: RecommendData): RecommendationLists {
  return scoreRecommendations(artefact, data);
}

export const recommendationsModel = {name: "recommendations", defaults, options, fit, score} satisfies Model<
  RecommendData,
  RecommendOptions,
  RecommendArtefact,
  RecommendData,
  RecommendationLists
>;

export type {RecommendArtefact, RecommendData, RecommendOptions, RecommendationLists};
export {REASONS} from "./fit.js";
