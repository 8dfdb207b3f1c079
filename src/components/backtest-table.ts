import {html} from "htl";
import {methodLabel, type BacktestScore, type Granularity} from "./forecast.js";
import {formatMoney, formatPercent} from "./format.js";

/**
 * The backtest as a table: one row per method, MAPE and MAE per horizon side by side, best MAPE first at
 * the first horizon, then the mean MAPE over the horizons (what the pipeline publishes on); the published
 * method and the baselines are marked. Each MAPE and MAE cell carries its
 * exact value (`data-mape`, `data-mae`); rows carry `data-method`.
 */
export function backtestTable(scores: readonly BacktestScore[], {granularity}: {granularity: Granularity}): HTMLElement {
  const horizons = [...new Set(scores.map((score) => score.horizon))].sort((a, b) => a - b);
  const methods = [...new Set(scores.map((score) => score.method))];
  const unit = granularity === "week" ? "week" : "month";
  const cell = (method: string, horizon: number) => scores.find((score) => score.method === method && score.horizon === horizon);
  const bestAt = new Map(horizons.map((horizon) => [horizon, Math.min(...scores.filter((score) => score.horizon === horizon).map((score) => score.mape))]));
  const meanCell = (method: string) => {
    const own = horizons.map((horizon) => cell(method, horizon));
    if (own.some((score) => !score)) return html`<td class="num">—</td>`;
    const mean = own.reduce((sum, score) => sum + score!.mape, 0) / own.length;
    return html`<td class="num" data-mean-mape=${String(mean)}>${formatPercent(mean)}</td>`;
  };
  return html`<table class="backtest" data-backtest=${granularity}>
    <thead>
      <tr><th rowspan="2">Method</th><th rowspan="2">Role</th>${horizons.map((horizon) => html`<th colspan="2" class="num">${horizon} ${unit}${horizon === 1 ? "" : "s"} ahead</th>`)}${horizons.length > 1 ? html`<th rowspan="2" class="num" title="What the method used on the site is chosen on">Mean MAPE</th>` : ""}<th rowspan="2" class="num">Targets</th></tr>
      <tr>${horizons.flatMap(() => [html`<th class="num">MAPE</th>`, html`<th class="num">MAE</th>`])}</tr>
    </thead>
    <tbody>${methods.map((method) => {
      const any = scores.find((score) => score.method === method)!;
      const role =
        any.role === "published"
          ? any.baseline
            ? "used on the site (a simple comparison)"
            : "used on the site"
          : any.baseline
            ? "simple comparison"
            : "tried, not used";
      return html`<tr data-method=${method} class=${any.role === "published" ? "published" : any.baseline ? "baseline" : ""}>
        <td>${methodLabel(method)}</td><td>${role}</td>
        ${horizons.flatMap((horizon) => {
          const score = cell(method, horizon);
          return score
            ? [
                html`<td class="num ${score.mape === bestAt.get(horizon) ? "best" : ""}" data-horizon=${String(horizon)} data-mape=${String(score.mape)}>${formatPercent(score.mape)}</td>`,
                html`<td class="num" data-horizon=${String(horizon)} data-mae=${String(score.mae)}>${formatMoney(score.mae)}</td>`
              ]
            : [html`<td class="num">—</td>`, html`<td class="num">—</td>`];
        })}
        ${horizons.length > 1 ? meanCell(method) : ""}
        <td class="num">${any.n}</td>
      </tr>`;
    })}</tbody>
  </table>`;
}
