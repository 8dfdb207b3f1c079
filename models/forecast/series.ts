/**
 * A revenue series by calendar period (week or month), with every period from the first to the last, and
 * the periods that must not be used as targets flagged: those the data does not wholly cover (its first
 * and last period) and those touched by a shutdown (e.g. the Christmas closing), whose revenue says
 * nothing about demand.
 */

export type Granularity = "week" | "month";

export interface PeriodSeries {
  granularity: Granularity;
  /** First day of each period, ISO `YYYY-MM-DD`, consecutive, ascending. */
  starts: string[];
  /** Revenue of each period (0 for a period with no sales). */
  values: Float64Array;
  /** Why a period may not be a training or evaluation target; null for a complete period. */
  partial: (string | null)[];
}

export interface SeriesInput {
  granularity: Granularity;
  /** Periods with sales: first day (ISO) and revenue, any order; periods missing here count as 0. */
  starts: readonly string[];
  values: ArrayLike<number>;
  /** Periods the data does not wholly cover (first days, ISO), e.g. from the marts' `is_partial`. */
  uncovered: readonly string[];
  /** Shutdowns: runs of days without a sale (see `findShutdowns`); periods overlapping one are flagged. */
  shutdowns?: readonly Shutdown[];
}

export interface Shutdown {
  /** First and last closed day, ISO. */
  first: string;
  last: string;
  days: number;
}

const DAY_MS = 86_400_000;

export function dayNumber(iso: string): number {
  const time = Date.parse(`${iso}T00:00:00Z`);
  if (!Number.isFinite(time) || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`invalid date; expected YYYY-MM-DD: ${JSON.stringify(iso)}`);
  return time / DAY_MS;
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The first day of the period after `start`. */
export function nextPeriod(granularity: Granularity, start: string): string {
  if (granularity === "week") return isoDay(dayNumber(start) + 7);
  const [year, month] = start.split("-").map(Number);
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}

/** The last day of the period starting at `start`. */
export function periodEnd(granularity: Granularity, start: string): string {
  return isoDay(dayNumber(nextPeriod(granularity, start)) - 1);
}

/**
 * Runs of at least `minDays` consecutive calendar days without a sale between the first and the last
 * trading day. A normal weekend or a bank holiday is shorter; a Christmas closing is longer.
 * @param tradingDays days with at least one sale (ISO), any order
 * @param minDays shortest closing that counts as a shutdown; default 7 (a whole week)
 */
export function findShutdowns(tradingDays: readonly string[], minDays = 7): Shutdown[] {
  if (!Number.isInteger(minDays) || minDays < 1) throw new Error(`invalid minDays; not a positive integer: ${minDays}`);
  const days = [...new Set(tradingDays.map(dayNumber))].sort((a, b) => a - b);
  const shutdowns: Shutdown[] = [];
  for (let i = 1; i < days.length; i++) {
    const gap = days[i] - days[i - 1] - 1;
    if (gap >= minDays) shutdowns.push({first: isoDay(days[i - 1] + 1), last: isoDay(days[i] - 1), days: gap});
  }
  return shutdowns;
}

/** Builds the consecutive series, filling periods without sales with 0 and flagging partial periods. */
export function buildSeries({granularity, starts, values, uncovered, shutdowns = []}: SeriesInput): PeriodSeries {
  if (starts.length !== values.length) throw new Error(`starts and values differ in length: ${starts.length} and ${values.length}`);
  if (starts.length === 0) throw new Error("no periods with sales: cannot build a revenue series");
  const byStart = new Map<string, number>();
  starts.forEach((start, i) => byStart.set(start, (byStart.get(start) ?? 0) + values[i]));
  const sorted = [...byStart.keys()].sort();
  const uncoveredSet = new Set(uncovered);
  const all: string[] = [];
  for (let start = sorted[0]; start <= sorted[sorted.length - 1]; start = nextPeriod(granularity, start)) all.push(start);
  const partial = all.map((start) => {
    if (uncoveredSet.has(start)) return "not wholly covered by the data";
    const first = dayNumber(start);
    const last = dayNumber(periodEnd(granularity, start));
    const closed = shutdowns.find((shutdown) => dayNumber(shutdown.first) <= last && dayNumber(shutdown.last) >= first);
    if (closed) return `shutdown: no sales from ${closed.first} to ${closed.last}`;
    return null;
  });
  return {granularity, starts: all, values: Float64Array.from(all, (start) => byStart.get(start) ?? 0), partial};
}
