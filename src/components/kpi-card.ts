/**
 * The one KPI card of the site: a label, the value, its change against a comparison period (one line:
 * "↑ 12.3% vs the 6 months before (£1.2M)"), and a sparkline. Cards go in a `kpiRow`, which lays them out
 * in one row when they fit and in balanced rows otherwise (never a lone card on a second row at desktop
 * width). Every card carries `data-kpi` (or `data-stat`) and the exact `data-value` and `data-previous`.
 *
 *   display(kpiRow([kpiCard({key: "revenue", label: "Net revenue", value: 8.9e6, format: formatMoney, previous: 7.1e6,
 *     comparison: "vs the 6 months before", series: monthlyRevenue})]));
 */
import {html} from "htl";
import {h, svgElement} from "./dom.js";

export interface KpiCardSpec {
  /** Machine name, written to `data-kpi` (or `data-stat` when `attribute` is "stat"). */
  key: string;
  label: string;
  /** The exact value (`data-value`); null shows "—" (or "…" when `pending`). */
  value: number | null;
  /** The value is on its way (e.g. a DuckDB-WASM query): shows "…" and carries `data-pending`. Default: false. */
  pending?: boolean;
  format: (value: number) => string;
  /**
   * The value the change is measured from (`data-previous`). The change compares `current` (default:
   * `value`) with it; null or undefined shows `note` (or nothing) instead of a change.
   */
  previous?: number | null;
  /** The comparison's own current value, when the card shows a total but compares a window (`data-current`). */
  current?: number | null;
  /** "vs the previous 90 days", after the change; leave it out when the row's caption says it (kpiRow). */
  comparison?: string;
  /** A line of context in place of (or, with a change, after) the change. */
  note?: string | Node;
  /** Values over time for the sparkline, oldest first (at least two to draw). */
  series?: readonly number[];
  /** Whether a rise is good news (green). Default: true. */
  higherIsBetter?: boolean;
  attribute?: "kpi" | "stat";
}

const percent = new Intl.NumberFormat("en-GB", {style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero"});

export function kpiCard(spec: KpiCardSpec): HTMLElement {
  const {key, label, value, pending = false, format, previous, comparison = "", note, series, higherIsBetter = true, attribute = "kpi"} = spec;
  const current = spec.current ?? value;
  const change = previous !== null && previous !== undefined && previous !== 0 && current !== null ? current / previous - 1 : null;
  const tone = change === null || change === 0 ? "" : change > 0 === higherIsBetter ? "good" : "bad";
  // Built directly, not with html`…`: the Overview redraws these on every filter change.
  const card = h(
    "div",
    {
      class: "card kpi",
      "data-value": value === null ? "" : String(value),
      "data-previous": previous === null || previous === undefined ? "" : String(previous)
    },
    h("h2", {}, label),
    h("span", {class: "big"}, value === null ? (pending ? "…" : "—") : format(value)),
    change !== null &&
      h(
        "div",
        {class: `kpi-change ${tone}`, title: `${format(current!)} against ${format(previous!)}${comparison ? ` (${comparison})` : ""}`},
        `${change > 0 ? "↑" : change < 0 ? "↓" : "→"} ${percent.format(change)}${comparison ? ` ${comparison}` : ""} `,
        h("span", {class: "kpi-previous"}, `(${format(previous!)})`)
      ),
    series && series.length >= 2 ? sparkline(series) : null,
    note ? h("div", {class: "kpi-note"}, note) : null
  );
  card.setAttribute(`data-${attribute}`, key);
  if (pending) card.dataset.pending = "";
  if (spec.current !== undefined) card.dataset.current = spec.current === null ? "" : String(spec.current);
  return card;
}

/**
 * Cards in a row: one row when they fit, else balanced rows (never a lone card on a second row at desktop
 * width). `caption` says once what every card's change compares ("Change: last 6 months vs the 6 before").
 */
export function kpiRow(cards: readonly HTMLElement[], {name, caption}: {name?: string; caption?: string} = {}): HTMLElement {
  const grid = html`<div class="kpi-row" data-count=${String(cards.length)}>${cards}</div>` as HTMLElement;
  if (!caption) {
    if (name) grid.dataset.section = name;
    return grid;
  }
  const row = html`<div class="kpi-block">${grid}<p class="kpi-caption">${caption}</p></div>` as HTMLElement;
  if (name) row.dataset.section = name;
  return row;
}

/** A small line of the values with the last point marked; no axes (the card's number is the figure). */
export function sparkline(values: readonly number[], {width = 160, height = 24}: {width?: number; height?: number} = {}): SVGElement {
  const finite = values.map((v) => (Number.isFinite(v) ? v : 0));
  const min = Math.min(...finite, 0);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const x = (i: number) => 2 + (i * (width - 4)) / (finite.length - 1);
  const y = (v: number) => height - 2 - ((v - min) * (height - 4)) / span;
  const points = finite.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const lastX = x(finite.length - 1);
  const lastY = y(finite[finite.length - 1]!);
  return svgElement(
    "svg",
    {class: "sparkline", viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", "aria-hidden": "true"},
    svgElement("polyline", {
      points,
      fill: "none",
      stroke: "currentColor",
      "stroke-width": "1.5",
      "stroke-linejoin": "round",
      "vector-effect": "non-scaling-stroke"
    }),
    svgElement("circle", {cx: lastX.toFixed(1), cy: lastY.toFixed(1), r: "2", fill: "currentColor"})
  );
}
