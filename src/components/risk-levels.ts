/**
 * The churn risk levels for every page that shows them (Churn, Action items, Customer lookup): the same
 * thresholds and levels the pipeline's churn stage assigns `risk_level` with, both imported from
 * src/shared/values.ts.
 */
import {RISK_LEVELS, RISK_THRESHOLDS, type RiskLevel} from "../shared/values.js";
import {html} from "htl";

export {RISK_LEVELS, RISK_THRESHOLDS, type RiskLevel};

/** The level of a probability of no purchase in the next 90 days, as the pipeline assigns it. */
export function riskLevelOf(probability: number): RiskLevel {
  return probability >= RISK_THRESHOLDS.high ? "High" : probability >= RISK_THRESHOLDS.medium ? "Medium" : "Low";
}

const percent = (value: number) => `${Math.round(100 * value)}%`;

/** "High: 60% or more" — each level's rule in words, for legends and rules. */
export function riskLevelRule(level: RiskLevel): string {
  if (level === "High") return `${percent(RISK_THRESHOLDS.high)} or more`;
  if (level === "Medium") return `${percent(RISK_THRESHOLDS.medium)} to ${percent(RISK_THRESHOLDS.high)}`;
  return `below ${percent(RISK_THRESHOLDS.medium)}`;
}

/** One sentence defining all three levels. */
export function riskLevelsText(): string {
  return `Risk level from the probability of no purchase in the next 90 days: ${RISK_LEVELS.map((level) => `${level} ${riskLevelRule(level)}`).join(", ")}.`;
}

/** A risk badge (the site's badge markup, see data-table.ts): the level, coloured, with its rule as a tooltip. */
export function riskBadge(level: string | null | undefined): HTMLElement | string {
  if (!level) return "—";
  const known = (RISK_LEVELS as readonly string[]).includes(level);
  return html`<span class="badge" data-tone=${known ? level.toLowerCase() : "unknown"} data-risk=${level} title=${known ? `${level}: probability of no purchase in the next 90 days ${riskLevelRule(level as RiskLevel)}` : level}>${level}</span>`;
}
