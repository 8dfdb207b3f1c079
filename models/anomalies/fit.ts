import type {Fitted} from "../dialect.js";
import {notFittedRow} from "../metrics.js";
import {evaluate, type BucketOf} from "./evaluate.js";
import {options, type AnomalyOptions} from "./options.js";
import {fitBaselines, type Baselines, type Lines} from "./robust.js";
import {zFit, type ZBaseline} from "./zscore.js";

/** The fit's lines: those of the fit window (of one bucket of products, when the stage splits them). */
export interface AnomalyFitData extends Lines {
  bucketOf?: BucketOf;
}

/** What a fit keeps: the baselines every later line is checked against, and the settings to check with. */
export interface AnomalyArtefact {
  baselines: Baselines;
  /** The seed's z-score method's means and standard deviations (its flag is published beside each finding). */
  zscore: ZBaseline;
  settings: Required<AnomalyOptions>;
  /** Lines the baselines were fitted on. */
  lines: number;
}

/** Fits the baselines on the window's lines and evaluates the detector on an injected copy of them. */
export function fit(data: AnomalyFitData, partial?: Partial<AnomalyOptions>): Fitted<AnomalyArtefact> {
  const settings = options(partial);
  const n = data.product.length;
  const artefact: AnomalyArtefact = {baselines: fitBaselines(data, settings), zscore: zFit(data.quantity, data.unitPrice), settings, lines: n};
  if (!settings.evaluate) return {artefact, metrics: []};
  return {artefact, metrics: n === 0 ? [notFittedRow("anomalies", "No sales lines to check.")] : evaluate(data, settings, data.bucketOf)};
}
