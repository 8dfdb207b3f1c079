import type {Fitted, Model} from "../dialect.js";
import {fitChurn, type ChurnArtefact, type ChurnTrainingData} from "./fit.js";
import {churnModelCard} from "./model-card.js";
import {CHURN_DEFAULTS, churnOptions, type ChurnOptions} from "./options.js";
import {scoreChurn, type ChurnScores, type ChurnScoringData} from "./score.js";

/**
 * Churn prediction in the model dialect: `fit` trains the forest (and its logistic and recency-only
 * rivals) on the customers labelled at the cut-off and evaluates them on held-out customers; `score`
 * applies the fitted forest to today's features.
 */
export const defaults = CHURN_DEFAULTS;

export const options = churnOptions;

export function fit(data: ChurnTrainingData, partial?: Partial<ChurnOptions>): Fitted<ChurnArtefact> {
  const {artefact, evaluation} = fitChurn(data, partial);
  return {artefact, metrics: churnModelCard(evaluation)};
}

export const score = scoreChurn;

export const churnModel = {name: "churn", defaults, options, fit, score} satisfies Model<
  ChurnTrainingData,
  ChurnOptions,
  ChurnArtefact,
  ChurnScoringData,
  ChurnScores
>;

export type {ChurnArtefact, ChurnOptions, ChurnScores, ChurnScoringData, ChurnTrainingData};
