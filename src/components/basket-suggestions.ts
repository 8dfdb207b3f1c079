import {html} from "htl";
import {formatPercent} from "./format.js";

import type {SuggestionRow} from "../../models/basket/fit.js";

export type {SuggestionRow};

/**
 * One kind of `basket_suggestions` (bundles or cross-sells) of one scope as a numbered list: the suggestion
 * in words, then its orders, support, confidence and lift; the first `shown` (default 10) open, the rest
 * folded. Items carry `data-rank` and `data-stock-codes`.
 */
export function suggestionList(
  rows: readonly SuggestionRow[],
  {scope, kind, shown = 10}: {scope: string; kind: SuggestionRow["kind"]; shown?: number}
): HTMLElement {
  const own = rows.filter((row) => row.scope === scope && row.kind === kind).sort((a, b) => a.rank - b.rank);
  if (own.length === 0) return html`<p class="empty">No ${kind === "bundle" ? "bundles" : "cross-sells"} for ${scope}.</p>`;
  const item = (row: SuggestionRow) => html`<li data-rank=${String(row.rank)} data-stock-codes=${row.stock_codes}>
    ${row.suggestion}
    <div class="suggestion-figures">${row.invoices.toLocaleString("en-GB")} orders · support ${formatPercent(row.support)} · confidence ${formatPercent(row.confidence, 0)} · lift ${row.lift.toFixed(1)}</div>
  </li>`;
  const rest = own.slice(shown);
  return html`<div data-suggestions=${kind} data-count=${String(own.length)}>
    <ol class="suggestions">${own.slice(0, shown).map(item)}</ol>
    ${rest.length ? html`<details><summary>${rest.length} more</summary><ol class="suggestions" start=${String(shown + 1)}>${rest.map(item)}</ol></details>` : ""}
  </div>`;
}
