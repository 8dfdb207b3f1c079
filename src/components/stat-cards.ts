import {html} from "htl";

/** One headline number of a model page. */
export interface Stat {
  /** Machine name: the card's `data-stat` attribute. */
  key: string;
  label: string;
  /** The exact value, written to `data-value` (tests compare it with the snapshot). */
  value: number | null;
  /** How the value is shown. */
  format: (value: number | null) => string;
  /** A line of context under the number (plain text or a node). */
  note?: string | Node;
}

/**
 * A row of cards with one headline number each, like the Overview's KPI cards; each card carries
 * `data-stat` and the exact `data-value`.
 */
export function statCards(stats: readonly Stat[]): HTMLElement {
  return html`<div class="grid stat-cards">${stats.map((stat) => html`<div class="card stat" data-stat=${stat.key} data-value=${stat.value === null ? "" : String(stat.value)}>
    <h2>${stat.label}</h2>
    <span class="big">${stat.format(stat.value)}</span>
    ${stat.note ? html`<div class="stat-note">${stat.note}</div>` : ""}
  </div>`)}</div>`;
}
