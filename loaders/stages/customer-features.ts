import type {PipelineOptions} from "../config.js";
import {queryRow} from "../db.js";
import type {Stage, StageContext} from "../run/stage.js";
import {fitWindowOf} from "./model-io.js";
import {CHURN_FEATURE_NAMES} from "../../models/churn/features.js";
import {BASE_PREFIX, churnBaseSql, churnDatesSql, churnFeaturesSql, churnLabelsSql} from "./churn-features.js";

/** The churn protocol's dates, as YYYY-MM-DD. */
export interface ChurnDates {
  last_day: string;
  /** The end of the fit window (loaders/run/fit-window.ts): labels see the data through it, no further. */
  fitted_through: string;
  cutoff: string;
  score_as_of: string;
}

/**
 * Customer features for the churn model and the RFM back-test (internal table `customer_features`): one
 * row per customer labelled at the cut-off, the fit window's last day − 90 days (sample 'training',
 * features from data before the cut-off, churned 1/0 from the data through the fit window's end), and one
 * per customer as of the day after the data ends (sample 'scoring', from all the data, churned NULL). The
 * training sample is a function of the fit window alone, so a new day inside the window leaves it as it was.
 */
export const customerFeaturesStage: Stage = {
  name: "customer_features",
  description: "Compute churn features as of the cut-off (with labels) and as of the end of the data",
  inputs: ["sales", "returns"],
  outputs: ["customer_features"],
  module: "loaders/stages/customer-features.ts",
  options: (options: PipelineOptions) => ({refit: options.refit}),
  run: customerFeatures
};

const FEATURE_COLUMNS = ["customer_id", "country", ...CHURN_FEATURE_NAMES, "expected_spend_90d"];

async function customerFeatures({connection, options}: StageContext) {
  const window = await fitWindowOf(connection, options.refit);
  const found = window ? await queryRow<Omit<ChurnDates, "fitted_through">>(connection, churnDatesSql(window.fittedThrough)) : null;
  // No sales at all: the same (empty) table, from placeholder dates.
  const dates: ChurnDates =
    window && found
      ? {...found, fitted_through: window.fittedThrough}
      : {last_day: "1970-01-01", fitted_through: "1970-01-01", cutoff: "1970-01-01", score_as_of: "1970-01-02"};
  const list = FEATURE_COLUMNS.join(", ");
  await connection.run(churnBaseSql());
  await connection.run(`
    CREATE OR REPLACE TABLE customer_features AS
    SELECT 'training' AS sample, DATE '${dates.cutoff}' AS as_of, ${list}, l.churned::INTEGER AS churned
    FROM (${churnFeaturesSql(dates.cutoff)}) AS f JOIN (${churnLabelsSql(dates.cutoff, dates.fitted_through)}) AS l USING (customer_id)
    UNION ALL
    SELECT 'scoring', DATE '${dates.score_as_of}', ${list}, NULL::INTEGER
    FROM (${churnFeaturesSql(dates.score_as_of)})
    ORDER BY sample DESC, customer_id;
    ${["invoices", "products", "countries", "returns"].map((table) => `DROP TABLE ${BASE_PREFIX}_${table};`).join(" ")}`);
  const counts = await queryRow<{training: number; scoring: number; churned: number; leaked: number}>(
    connection,
    `SELECT count(*) FILTER (WHERE sample = 'training') AS training, count(*) FILTER (WHERE sample = 'scoring') AS scoring,
       count(*) FILTER (WHERE churned = 1) AS churned,
       count(*) FILTER (WHERE sample = 'training' AND NOT (recency_days >= 1 AND tenure_days >= recency_days)) AS leaked
     FROM customer_features`
  );
  // A training row whose last purchase is on or after the cut-off would mean post-cut-off data got in.
  if (counts.leaked > 0) throw new Error(`customer_features: ${counts.leaked} training rows have purchases on or after the cut-off ${dates.cutoff}`);
  return {
    rowsOut: counts.training + counts.scoring,
    detail: `cut-off ${dates.cutoff} (fit window through ${dates.fitted_through}): ${counts.training} labelled (${counts.churned} churned); ${counts.scoring} scored as of ${dates.score_as_of}`
  };
}
