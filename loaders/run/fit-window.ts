/**
 * Fit on a schedule, score on every run: a model is fitted on the data through the end of the last
 * complete period, so a new day inside the period re-runs scoring only, and the window is a function of
 * the data alone (a cold run and an incremental history fit the same window).
 */
export type RefitPeriod = "day" | "week" | "month";

export const REFIT_PERIODS: readonly RefitPeriod[] = ["day", "week", "month"];

export interface FitWindow {
  period: RefitPeriod;
  /** First and last day with data (YYYY-MM-DD). */
  firstDay: string;
  lastDay: string;
  /** The fit uses the data through this day, inclusive. */
  fittedThrough: string;
  /** Why the window ends there, in words. */
  rule: string;
}

const DAY_MS = 86_400_000;
const parse = (day: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new Error(`invalid day; expected YYYY-MM-DD: ${JSON.stringify(day)}`);
  return Date.parse(`${day}T00:00:00Z`);
};
const format = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The last day of the last complete period ending on or before `lastDay`: weeks run Monday to Sunday,
 * months to their last day. When the data does not yet cover a whole period (a first extract of a few
 * days), the fit uses all of it.
 */
export function fitWindow(firstDay: string, lastDay: string, period: RefitPeriod): FitWindow {
  if (!REFIT_PERIODS.includes(period)) throw new Error(`invalid refit; expected day, week or month: ${JSON.stringify(period)}`);
  const first = parse(firstDay);
  const last = parse(lastDay);
  if (first > last) throw new Error(`invalid window; the first day ${firstDay} is after the last day ${lastDay}`);
  let end = last;
  if (period === "week") {
    const weekday = (new Date(last).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    end = weekday === 6 ? last : last - (weekday + 1) * DAY_MS;
  } else if (period === "month") {
    const date = new Date(last);
    const lastOfMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0);
    end = last === lastOfMonth ? last : Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 0);
  }
  if (end < first) {
    return {
      period,
      firstDay,
      lastDay,
      fittedThrough: lastDay,
      rule: `the data (${firstDay} to ${lastDay}) covers no complete ${period} yet, so the fit uses all of it`
    };
  }
  const rule = period === "day" ? "refitted on every new day of data" : `fitted on the data through the end of the last complete ${period} (refit: ${period})`;
  return {period, firstDay, lastDay, fittedThrough: format(end), rule};
}

/** "fitted and evaluated on data through 2011-12-04; scores as of 2011-12-09" */
export function describeFit(window: Pick<FitWindow, "fittedThrough" | "lastDay">): string {
  return `fitted and evaluated on data through ${window.fittedThrough}; scores as of ${window.lastDay}`;
}
