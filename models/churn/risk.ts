import {RISK_THRESHOLDS, type RiskLevel} from "../../src/shared/values.js";
/** Risk levels and their thresholds are shared with the pages: see src/shared/values.ts. */
export {RISK_THRESHOLDS, type RiskLevel};

export function riskLevel(probability: number, thresholds: {high: number; medium: number} = RISK_THRESHOLDS): RiskLevel {
  if (!(probability >= 0 && probability <= 1)) throw new Error(`invalid probability; not in [0, 1]: ${probability}`);
  return probability >= thresholds.high ? "High" : probability >= thresholds.medium ? "Medium" : "Low";
}
