import {html} from "htl";
import type {ForecastRow, Granularity} from "./forecast.js";
import {formatMoney, formatPeriod} from "./format.js";

/**
 * The forecast periods as a table: period, forecast, 80% and 95% intervals, revenue so far (for a period
 * the data partly covers) and the pipeline's note. Rows carry `data-horizon` and the exact `data-forecast`.
 */
export function forecastPeriodsTable(rows: readonly ForecastRow[], {granularity}: {granularity: Granularity}): HTMLElement {
  const forecast = rows.filter((row) => row.granularity === granularity && row.kind === "forecast").sort((a, b) => (a.horizon ?? 0) - (b.horizon ?? 0));
  if (forecast.length === 0) return html`<p class="empty">No ${granularity}ly forecast.</p>`;
  return html`<table class="forecast-periods" data-forecast-table=${granularity}>
    <thead><tr><th>${granularity === "week" ? "Week" : "Month"}</th><th class="num">Forecast</th><th class="num">80% interval</th><th class="num">95% interval</th><th class="num">So far</th><th>Note</th></tr></thead>
    <tbody>${forecast.map(
      (row) => html`<tr data-horizon=${String(row.horizon)} data-forecast=${String(row.forecast)}>
      <td>${formatPeriod(row.period_start, row.period_end, granularity)}</td>
      <td class="num">${formatMoney(row.forecast)}</td>
      <td class="num">${formatMoney(row.lower_80)} – ${formatMoney(row.upper_80)}</td>
      <td class="num">${formatMoney(row.lower_95)} – ${formatMoney(row.upper_95)}</td>
      <td class="num">${row.revenue === null ? "—" : formatMoney(row.revenue)}</td>
      <td>${row.note ?? ""}</td>
    </tr>`
    )}</tbody>
  </table>`;
}

/**
 * The partial periods of the history (shaded on the chart) with why each is partial: never a training or
 * evaluation target, and not comparable with a full period.
 */
export function partialPeriodsTable(rows: readonly ForecastRow[], {granularity}: {granularity: Granularity}): HTMLElement {
  const partial = rows
    .filter((row) => row.granularity === granularity && row.kind === "actual" && row.is_partial)
    .sort((a, b) => +a.period_start - +b.period_start);
  if (partial.length === 0) return html`<p>Every ${granularity} of the history is complete.</p>`;
  return html`<table class="partial-periods" data-partial-periods=${granularity}>
    <thead><tr><th>${granularity === "week" ? "Week" : "Month"}</th><th class="num">Revenue</th><th>Why it is partial</th></tr></thead>
    <tbody>${partial.map((row) => html`<tr><td>${formatPeriod(row.period_start, row.period_end, granularity)}</td><td class="num">${formatMoney(row.revenue)}</td><td>${row.partial_reason ?? "partial"}</td></tr>`)}</tbody>
  </table>`;
}
