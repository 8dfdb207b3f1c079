import {quantileScores} from "./scores.js";

/**
 * Quantile scores as breakpoints, so customers who were not in the fit can be scored: a value v scores
 * 1 + ⌊levels × share of the fitted customers with a strictly worse value than v⌋ (at most `levels`), the
 * formula of quantileScores with the fitted customers as the reference. So every fitted value keeps exactly
 * its rank score, ties included (equal values score alike; an empty score, e.g. F 2 when one-time buyers are
 * more than two fifths, is skipped); a value beyond every fitted one scores the top (or, below, the bottom)
 * score. `cuts[s − 2]` is the best fitted value that scored below s: v scores s or more when it is beyond it
 * (above when higher is better, below when lower is), for s = 2…levels.
 */
export interface Breakpoints {
  better: "higher" | "lower";
  levels: number;
  cuts: number[];
}

export function fitBreakpoints(values: ArrayLike<number>, better: "higher" | "lower", levels = 5): Breakpoints {
  const scores = quantileScores(values, better, levels);
  const cuts: number[] = [];
  for (let s = 2; s <= levels; s++) {
    let cut = Number.NaN;
    for (let i = 0; i < values.length; i++) {
      if (scores[i] < s && !(better === "higher" ? values[i] <= cut : values[i] >= cut)) cut = values[i];
    }
    cuts.push(cut);
  }
  return {better, levels, cuts};
}

/** The score 1…levels of `value` against fitted breakpoints. */
export function scoreValue(breakpoints: Breakpoints, value: number): number {
  if (!Number.isFinite(value)) throw new Error(`invalid value; not a finite number: ${value}`);
  let score = 1;
  for (const cut of breakpoints.cuts) if (breakpoints.better === "higher" ? value > cut : value < cut) score++;
  return score;
}
