import {sizeInBytes} from "../size.js";

/**
 * How many stages may run at once. They share one DuckDB and its memory limit, and a query that
 * spills to disk still needs some of it: at 100× the shipped data (54.2 M raw lines) five stages side
 * by side ran out of 4 GB, while one at a time they completed under the default 2 GB. `auto` allows as
 * many stages as the limit holds at BYTES_PER_ROW per row of the largest table so far (the raw lines)
 * each; on the shipped year (0.54 M lines) and at 10× that is no limit at all, at 100× under 2 GB or
 * 4 GB it is one.
 */

/** What one DuckDB-heavy stage may want at once, per row of its largest input; above what the 100× failure implies (≥ 15). */
export const BYTES_PER_ROW = 50;

export type StagesAtOnceSetting = "auto" | number;

/**
 * The most stages that may run at once: the setting when it is a number; for `auto`, the memory limit
 * over what a stage may want for a table of `rows` rows (at least one), or no limit while no table is
 * known (before the first stage has finished).
 */
export function stagesAtOnce(setting: StagesAtOnceSetting, {memoryLimit, rows}: {memoryLimit: string; rows: number}): number {
  if (setting !== "auto") return setting;
  if (rows <= 0) return Infinity;
  return Math.max(1, Math.floor(sizeInBytes(memoryLimit) / (rows * BYTES_PER_ROW)));
}
