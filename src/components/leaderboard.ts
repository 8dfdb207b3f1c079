/**
 * A leaderboard: the top countries, products or customers of a selection, each with its value, its share
 * of the total (a bar) and its change against the comparison period. Names can filter the page
 * (`onSelect`, click-to-filter) or link elsewhere (`href`).
 *
 *   const rows = leaders(current, {previous, window, limit: 10});   // Map<key, value> each
 *   display(leaderboard(rows, {name: "countries", title: "Countries", comparison: "vs the previous 90 days", onSelect}));
 */
import {html} from "htl";
import {h} from "./dom.js";
import {formatMoney, formatPercent} from "./format.js";

export interface Leader {
  key: string;
  value: number;
  /** value / the total of every key (not just the top ones). */
  share: number;
  /** Change against the comparison period; null when there is none or the previous value is 0. */
  change: number | null;
  /** The comparison's previous value (null: none). */
  previous: number | null;
}

/**
 * The top `limit` keys by value, with shares of the whole total and changes: `window` (when the value is a
 * total but the comparison a window, as for "All") or the value itself, against `previous`.
 */
export function leaders(
  current: ReadonlyMap<string, number>,
  options: {previous?: ReadonlyMap<string, number> | null; window?: ReadonlyMap<string, number> | null; limit?: number; total?: number} = {}
): Leader[] {
  const {previous = null, window = null, limit = 10} = options;
  let total = options.total ?? 0;
  if (options.total === undefined) for (const value of current.values()) total += value;
  return topEntries(current, limit).map(([key, value]) => {
    const before = previous ? (previous.get(key) ?? 0) : null;
    const now = window ? (window.get(key) ?? 0) : value;
    return {key, value, share: total ? value / total : 0, previous: before, change: before ? now / before - 1 : null};
  });
}

/** Whether entry a ranks before b: larger value first, then key order. */
const ranksBefore = (a: readonly [string, number], b: readonly [string, number]) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);

/**
 * The `limit` largest entries, largest first (ties by key), without sorting them all: a filter change on
 * the Overview ranks 43,000 customers at 10× the data, and only ten are shown.
 */
function topEntries(entries: ReadonlyMap<string, number>, limit: number): [string, number][] {
  const top: [string, number][] = [];
  if (limit < 1) return top;
  for (const entry of entries) {
    if (top.length === limit && !ranksBefore(entry, top[limit - 1]!)) continue;
    let i = Math.min(top.length, limit - 1);
    if (top.length < limit) top.push(entry);
    for (; i > 0 && ranksBefore(entry, top[i - 1]!); i--) top[i] = top[i - 1]!;
    top[i] = entry;
  }
  return top;
}

/** Sums `value` by `key` over rows (skipping null keys). */
export function sumBy<T>(rows: Iterable<T>, key: (row: T) => string | null | undefined, value: (row: T) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) {
    const k = key(row);
    if (k === null || k === undefined) continue;
    sums.set(k, (sums.get(k) ?? 0) + value(row));
  }
  return sums;
}

/**
 * Sums `values[i]` by `keys[i]` (two columns, e.g. an Arquero table's arrays; null keys skipped), keyed by
 * `String(key)`. Rows are grouped by the raw key and each key is turned into a string once, not once per
 * row: at 10× the data a filter change sums 200,000 orders by 43,000 customers several times over.
 */
export function sumColumns(keys: ArrayLike<unknown>, values: ArrayLike<number>): Map<string, number> {
  const slots = new Map<unknown, number>();
  const sums: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === null || key === undefined) continue;
    let slot = slots.get(key);
    if (slot === undefined) slots.set(key, (slot = sums.push(0) - 1));
    sums[slot]! += values[i]!;
  }
  const byName = new Map<string, number>();
  for (const [key, slot] of slots) byName.set(String(key), (byName.get(String(key)) ?? 0) + sums[slot]!);
  return byName;
}

export interface LeaderboardOptions {
  name: string;
  title: string;
  /** What the change compares ("vs the previous 90 days"); shown in the header's tooltip. */
  comparison?: string;
  valueLabel?: string;
  format?: (value: number) => string;
  /** How a key is shown (default: the key). */
  label?: (key: string) => string | Node;
  /** A badge or note after the name (e.g. "95% returned"). */
  note?: (leader: Leader) => string | Node | null;
  /** Click-to-filter: the name becomes a button calling this. */
  onSelect?: (key: string) => void;
  selected?: readonly string[];
  /** A link for the name instead (e.g. the customer page). */
  href?: (key: string) => string;
  empty?: string;
}

const signed = new Intl.NumberFormat("en-GB", {style: "percent", maximumFractionDigits: 0, signDisplay: "exceptZero"});

export function leaderboard(rows: readonly Leader[], options: LeaderboardOptions): HTMLElement {
  const {
    name,
    title,
    comparison = "",
    valueLabel = "Revenue",
    format = formatMoney,
    label = (key) => key,
    note,
    onSelect,
    selected = [],
    href,
    empty = "No sales match the filters."
  } = options;
  const chosen = new Set(selected);
  const nameCell = (leader: Leader) => {
    const text = label(leader.key);
    if (onSelect) {
      const pressed = chosen.has(leader.key);
      const button = h(
        "button",
        {type: "button", class: "leaderboard__select", "aria-pressed": String(pressed), title: pressed ? "Remove from the filter" : "Filter the page by this"},
        text
      );
      button.onclick = () => onSelect(leader.key);
      return button;
    }
    return href ? h("a", {href: href(leader.key)}, text) : text;
  };
  const body = rows.map((leader, i) => {
    const extra = note?.(leader);
    const tone = leader.change === null ? "" : leader.change >= 0 ? "good" : "bad";
    return h(
      "tr",
      {"data-row": leader.key},
      h("td", {class: "leaderboard__rank number"}, String(i + 1)),
      h("td", {class: "leaderboard__name"}, nameCell(leader), extra ? [" ", extra] : null),
      h("td", {class: "number", "data-column": "value", "data-value": String(leader.value)}, format(leader.value)),
      h(
        "td",
        {
          class: "number leaderboard__share",
          "data-column": "share",
          "data-value": String(leader.share),
          style: `--share:${Math.max(0, Math.min(1, leader.share))}`
        },
        formatPercent(leader.share)
      ),
      h(
        "td",
        {class: `number leaderboard__change ${tone}`, "data-column": "change", "data-value": leader.change === null ? "" : String(leader.change)},
        leader.change === null ? (leader.previous === 0 ? "new" : "—") : signed.format(leader.change)
      )
    );
  });
  return html`<div class="leaderboard" data-leaderboard=${name}>
    <h3>${title}</h3>
    ${
      rows.length === 0
        ? html`<p class="empty">${empty}</p>`
        : html`<table>
      <thead><tr><th class="number">#</th><th></th><th class="number">${valueLabel}</th><th class="number">Share</th><th class="number" title=${comparison}>Change</th></tr></thead>
      <tbody>${body}</tbody>
    </table>`
    }
    ${comparison && rows.length ? html`<p class="leaderboard__note">Change: ${comparison}.</p>` : ""}
  </div>` as HTMLElement;
}
