import type {MetricRow} from "./metrics.js";

/**
 * The one shape every model in `models/<name>/index.ts` exposes, so a stage, a test or a notebook can use
 * any of them the same way:
 *
 * - `defaults`: every option's default value (each option documented where its type is declared);
 * - `options(partial)`: the options merged over the defaults and validated, refusing a bad value with the
 *   value shown (`invalid k; not a positive integer: 0`) and an unknown key with the known ones;
 * - `fit(data, options)`: trains and evaluates on the fit window's data; returns the fitted **artefact**
 *   (plain, structured-cloneable data: centroids, a forest, factors, rules, baselines) and the evaluation
 *   rows for `<model>_metrics`, built here, never by the stage;
 * - `score(artefact, data)`: applies a fitted artefact to today's data and returns the rows to publish.
 *
 * All four are pure (no DuckDB, no files, no clock), and the stage runs `fit` and `score` in a worker
 * thread by their export names (`context.runModel(url, "fit", data, options)`).
 */
export interface Model<FitData, Options extends object, Artefact, ScoreData, Scores> {
  /** The model's name in `model_metrics` (and in artefact file names). */
  readonly name: string;
  readonly defaults: Readonly<Required<Options>>;
  options(options?: Partial<Options>): Required<Options>;
  fit(data: FitData, options?: Partial<Options>): Fitted<Artefact>;
  score(artefact: Artefact, data: ScoreData): Scores;
}

/** What `fit` returns. */
export interface Fitted<Artefact> {
  artefact: Artefact;
  metrics: MetricRow[];
}
