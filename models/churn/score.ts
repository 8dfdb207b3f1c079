import {explainForest, predictForest} from "../forest/forest.js";
import type {MetricRow} from "../metrics.js";
import {applyPlatt} from "./calibration.js";
import {CHURN_FEATURES, CHURN_FEATURE_NAMES} from "./features.js";
import type {ChurnArtefact} from "./fit.js";
import {churnCurveRows, churnImportanceRows} from "./model-card.js";
import {riskLevel, type RiskLevel} from "./risk.js";

/** Customers to score: features as of `asOf` (the day after the data ends), from all the data before it. */
export interface ChurnScoringData {
  customerIds: ArrayLike<number>;
  countries: readonly (string | null)[];
  columns: Float64Array[];
  /** The spend at stake if they stay (net spend per 90 days, see churn-features.ts). */
  expectedSpend: ArrayLike<number>;
  /** YYYY-MM-DD. */
  asOf: string;
}

/** One row of `churn_scores` (loaders/schema/customer-models.ts), in its column order. */
export interface ChurnScoreRow {
  customer_id: number;
  country: string | null;
  as_of: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  churn_probability: number;
  risk_level: RiskLevel;
  /** "Days since last purchase = 120 (+0.210); …": the features raising this customer's probability most. */
  top_factors: string;
  expected_spend_90d: number;
  value_at_risk: number;
  value_at_risk_rank: number;
}

export interface ChurnScores {
  scores: ChurnScoreRow[];
  /** `churn_curves` and `churn_importance` rows (from the fit). */
  curves: ReturnType<typeof churnCurveRows>;
  importance: ReturnType<typeof churnImportanceRows>;
  metrics: MetricRow[];
}

/**
 * Today's churn scores from a fitted artefact: the calibrated forest probability, its risk level, the
 * features that raise it most (Saabas contributions), and the value at risk (probability × expected
 * spend), ranked; the fit's curves and importance as their snapshots' rows; and the model-card row of what
 * was scored.
 */
export function scoreChurn(artefact: ChurnArtefact, data: ChurnScoringData): ChurnScores {
  if (artefact.features.join() !== CHURN_FEATURE_NAMES.join()) {
    throw new Error(`the churn artefact was fitted on features ${artefact.features.join(", ")}; this code computes ${CHURN_FEATURE_NAMES.join(", ")}`);
  }
  const n = data.customerIds.length;
  checkScoring(data, n);
  const probabilities = n === 0 ? new Float64Array(0) : applyPlatt(artefact.platt, predictForest(artefact.forest, data.columns));
  const contributions = n === 0 ? new Float64Array(0) : explainForest(artefact.forest, data.columns).contributions;
  const column = (name: string) => data.columns[CHURN_FEATURE_NAMES.indexOf(name as (typeof CHURN_FEATURE_NAMES)[number])];
  const [recency, frequency, monetary] = ["recency_days", "frequency", "monetary"].map(column);
  const p = CHURN_FEATURES.length;
  const scores = Array.from({length: n}, (_, i): ChurnScoreRow => {
    const factors = CHURN_FEATURES.map((feature, f) => ({
      feature: feature.name,
      label: feature.label,
      value: data.columns[f][i],
      contribution: contributions[i * p + f]
    }))
      .filter((factor) => factor.contribution > 0)
      .sort((a, b) => b.contribution - a.contribution || a.feature.localeCompare(b.feature))
      .slice(0, artefact.topFactors);
    const probability = probabilities[i];
    return {
      customer_id: data.customerIds[i],
      country: data.countries[i],
      as_of: data.asOf,
      recency_days: recency[i],
      frequency: frequency[i],
      monetary: monetary[i],
      churn_probability: probability,
      risk_level: riskLevel(probability, artefact.riskThresholds),
      top_factors: factors.map((factor) => `${factor.label} = ${formatValue(factor.value)} (+${factor.contribution.toFixed(3)})`).join("; "),
      expected_spend_90d: data.expectedSpend[i],
      value_at_risk: probability * data.expectedSpend[i],
      value_at_risk_rank: 0
    };
  });
  const order = scores.map((_, i) => i).sort((a, b) => scores[b].value_at_risk - scores[a].value_at_risk || a - b);
  order.forEach((row, rank) => (scores[row].value_at_risk_rank = rank + 1));
  const {high, medium} = artefact.riskThresholds;
  const metrics: MetricRow[] = [
    {
      model: "churn",
      method: "random_forest",
      role: "published",
      metric: "scored_customers",
      split: `scoring: every customer, features as of ${data.asOf} (no labels yet)`,
      n,
      value: n,
      details: `risk levels: High ≥ ${high}, Medium ≥ ${medium}; label = no purchase in the 90 days after the as-of day`
    }
  ];
  return {scores, curves: artefact.evaluations.flatMap(churnCurveRows), importance: churnImportanceRows(artefact.importance), metrics};
}

function checkScoring(data: ChurnScoringData, n: number): void {
  if (data.columns.length !== CHURN_FEATURES.length)
    throw new Error(`scoring data has ${data.columns.length} feature columns, expected ${CHURN_FEATURES.length}`);
  data.columns.forEach((column, f) => {
    if (column.length !== n) throw new Error(`scoring feature ${CHURN_FEATURES[f].name} has ${column.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(column[i])) throw new Error(`scoring feature ${CHURN_FEATURES[f].name} of case ${i} is not a finite number: ${column[i]}`);
    }
  });
  if (data.expectedSpend.length !== n || data.countries.length !== n)
    throw new Error(`scoring data has ${n} customers but other lengths for expectedSpend or countries`);
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
