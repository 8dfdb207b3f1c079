import {RISK_LEVELS} from "../risk-levels.js";

/** The risk levels' colours in every chart (theme variables: readable in light and dark). */
export const RISK_COLOR = {
  domain: [...RISK_LEVELS],
  range: ["var(--theme-red)", "var(--theme-yellow)", "var(--theme-foreground-faint)"]
};
