import {kpiCard, kpiRow} from "./kpi-card.js";

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
  /** Optional comparison and sparkline, as on a KPI card (see kpi-card.ts). */
  previous?: number | null;
  comparison?: string;
  series?: readonly number[];
  higherIsBetter?: boolean;
}

/**
 * A row of KPI cards (the site's one card, see kpi-card.ts) with one headline number each; each card
 * carries `data-stat` and the exact `data-value`.
 */
export function statCards(stats: readonly Stat[]): HTMLElement {
  return kpiRow(stats.map((stat) => kpiCard({...stat, format: (value) => stat.format(value), attribute: "stat"})));
}
