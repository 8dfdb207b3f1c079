import type {Stage} from "../run/stage.js";
import {anomaliesStage} from "./anomalies.js";
import {basketStage} from "./basket.js";
import {churnStage} from "./churn.js";
import {cleanStage} from "./clean.js";
import {customerFeaturesStage} from "./customer-features.js";
import {forecastStage} from "./forecast.js";
import {ingestStage} from "./ingest.js";
import {martsStage} from "./marts.js";
import {modelMetricsStage} from "./model-metrics.js";
import {productMartsStage} from "./product-marts.js";
import {qualityStage} from "./quality.js";
import {recommendationsStage} from "./recommendations.js";
import {recommendedProductsStage} from "./recommended-products.js";
import {rfmStage} from "./rfm.js";
import {segmentsStage} from "./segments.js";

/** The pipeline graph: extract → load (ingest) → clean → marts → quality → (models). Order is derived from inputs. */
export const STAGES: readonly Stage[] = [
  ingestStage,
  cleanStage,
  martsStage,
  productMartsStage,
  qualityStage,
  customerFeaturesStage,
  rfmStage,
  segmentsStage,
  churnStage,
  forecastStage,
  recommendationsStage,
  recommendedProductsStage,
  basketStage,
  anomaliesStage,
  modelMetricsStage
];
