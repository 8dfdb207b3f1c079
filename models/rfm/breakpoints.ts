import {quantileScores} from "./scores.js";

/**
 * Quantile scores as breakpoints, so customers who were not in the fit can be scored: `cuts[s − 2]` is the
 * fitted value a customer must be beyond (above when higher is better, below when lower is) to score s or
 * more, for s = 2…levels. Each cut is the best fitted value that scored below s, which gives every fitted
 * value exactly its quantile score, ties included (equal values score alike; an empty score, e.g. F 2 when
 * one-time buyers are more than two fifths, is skipped). A new value scores as the next fitted value on its
 * worse side would; one beyond every fitted value scores the top (or bottom) score.
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
