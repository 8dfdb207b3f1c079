/**
 * A customer's top churn factors, as `churn_scores.top_factors` words them:
 * `'Days since last purchase = 183 (+0.035); Distinct products bought = 5 (+0.037)'` — each the feature's
 * label, the customer's value, and how much it raises the churn probability. Pure (unit-tested).
 */

export interface ChurnFactor {
  label: string;
  value: string;
  /** Change in probability (0.035 = +3.5 percentage points); null when the text carries none. */
  change: number | null;
}

const FACTOR = /^(.*?) = (.*?)(?: \(([+\-−]\d+(?:\.\d+)?)\))?$/;

export function parseTopFactors(text: string | null | undefined): ChurnFactor[] {
  if (!text) return [];
  return text
    .split("; ")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = FACTOR.exec(part);
      if (!match) return {label: part, value: "", change: null};
      return {label: match[1]!, value: match[2]!, change: match[3] === undefined ? null : Number(match[3].replace("−", "-"))};
    });
}

/** "+3.5 pts" for a change in probability. */
export function formatChange(change: number | null): string {
  if (change === null) return "";
  const points = 100 * change;
  return `${points >= 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} pts`;
}
