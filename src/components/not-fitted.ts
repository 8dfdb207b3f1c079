/**
 * When a model could not be fitted on the data it got (a one-day extract, say), its snapshots are empty
 * and `model_metrics` carries a row for it with `metric = 'not_fitted'` and the reason in `details`. A
 * model page (and an Action items card) shows that reason in place of its answer.
 */
import {html} from "htl";

/** The models that can report `not_fitted`, with the name a reader knows them by. */
export const MODEL_NAMES = {
  rfm: "RFM segments",
  segmentation: "customer segments",
  churn: "churn model",
  forecast: "forecast",
  recommendations: "recommender",
  basket: "market basket analysis",
  anomalies: "anomaly detector"
} as const;

export type FittedModel = keyof typeof MODEL_NAMES;

interface MetricLike {
  model: string;
  metric: string;
  details: string | null;
}

/**
 * The reason the model was not fitted, or null when it was (no `not_fitted` row). Several rows (one per
 * method) give their distinct reasons joined, in their order.
 */
export function notFittedReason(model: FittedModel, metrics: readonly MetricLike[]): string | null {
  const rows = metrics.filter((row) => row.model === model && row.metric === "not_fitted");
  if (rows.length === 0) return null;
  const reasons = [...new Set(rows.map((row) => row.details?.trim()).filter((text): text is string => Boolean(text)))];
  return reasons.length ? reasons.join(" ") : "No reason was recorded.";
}

/**
 * The notice to show instead of a model's answer, or null when the model was fitted:
 * `notFitted("churn", metrics) ?? answer()`.
 */
export function notFitted(model: FittedModel, metrics: readonly MetricLike[]): HTMLElement | null {
  const reason = notFittedReason(model, metrics);
  if (reason === null) return null;
  const name = MODEL_NAMES[model];
  return html`<div class="not-fitted" role="status" data-not-fitted=${model}>
    <p><strong>No ${name} for this data.</strong> ${reason}</p>
    <p class="muted">Add more data to <code>data/raw/</code> and run <code>npm run pipeline</code>; the page shows the ${name} once it can be fitted.</p>
  </div>`;
}

interface FitDatesLike extends MetricLike {
  fitted_through?: Date | string | null;
  scored_as_of?: Date | string | null;
}

const DAY = new Intl.DateTimeFormat("en-GB", {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});

function day(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(`${String(value).slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : DAY.format(date);
}

/**
 * Which fit a model page shows, from its `model_metrics` rows (`fitted_through`, `scored_as_of`):
 * "Fitted and evaluated on data through 4 Dec 2011; scores as of 9 Dec 2011." Null when there is no fit.
 */
export function fitStatement(model: FittedModel, metrics: readonly FitDatesLike[]): string | null {
  const row = metrics.find((entry) => entry.model === model && entry.fitted_through);
  const fitted = day(row?.fitted_through);
  if (!row || !fitted) return null;
  const scored = day(row.scored_as_of) ?? fitted;
  return fitted === scored
    ? `Fitted and evaluated on all the data, through ${fitted}; refitted on every run.`
    : `Fitted and evaluated on data through ${fitted}; scores as of ${scored}.`;
}

/** The fit statement as a line under a model page's title, or null when there is no fit. */
export function fitNotice(model: FittedModel, metrics: readonly FitDatesLike[]): HTMLElement | null {
  const statement = fitStatement(model, metrics);
  return statement ? html`<p class="fit-note muted" data-fit=${model}>${statement}</p>` : null;
}
