/**
 * Risk levels of a churn probability (the calibrated probability of no purchase in the next 90 days):
 * High from 0.6, Medium from 0.35, Low below. About 4 in 10 customers active before the cut-off
 * churned, so Medium starts a little under that base rate and High well above it.
 */
export const RISK_THRESHOLDS = {high: 0.6, medium: 0.35} as const;

export type RiskLevel = "High" | "Medium" | "Low";

export function riskLevel(probability: number, thresholds: {high: number; medium: number} = RISK_THRESHOLDS): RiskLevel {
  if (!(probability >= 0 && probability <= 1)) throw new Error(`invalid probability; not in [0, 1]: ${probability}`);
  return probability >= thresholds.high ? "High" : probability >= thresholds.medium ? "Medium" : "Low";
}
