import type {Table} from "apache-arrow";
import {html} from "htl";
import {downloadButtons} from "./downloads.js";

export interface PreviewColumn<T> {
  label: string;
  value: (row: T) => unknown;
  /** Right-aligned (numbers). */
  numeric?: boolean;
}

export interface ActionCardOptions<T> {
  /** Machine name: the card's `data-action`; also the download's file name. */
  key: string;
  title: string;
  /** The rule, in words (what is in the list, and why). */
  rule: string | Node;
  count: number;
  /** What is counted ("customers", "bundles", …). */
  countLabel: string;
  /** Pounds; written exactly to `data-value`. */
  value: number;
  /** What the value means, shown under it. */
  valueLabel: string;
  format: (value: number) => string;
  /** The first rows of the list, shown in the card. */
  preview: readonly T[];
  columns: readonly PreviewColumn<T>[];
  /** The whole list, as an Arrow table, when a download is asked for. */
  download: () => Promise<Table>;
  /** Where to see more (a page of this site). */
  link?: {href: string; text: string};
}

/**
 * One action item: a count, a value and the rule behind them, a preview of the list and downloads of all
 * of it (CSV, Parquet). The card carries `data-action`, `data-count` and the exact `data-value`.
 */
export function actionCard<T>(options: ActionCardOptions<T>): HTMLElement {
  const {key, title, rule, count, countLabel, value, valueLabel, format, preview, columns, download, link} = options;
  return html`<section class="card action" id=${`action-${key}`} data-action=${key} data-count=${String(count)} data-value=${String(value)}>
    <h2>${title}</h2>
    <div class="action-figures">
      <div><span class="big">${count.toLocaleString("en-GB")}</span> ${countLabel}</div>
      <div><span class="big">${format(value)}</span> ${valueLabel}</div>
    </div>
    <p class="action-rule">${rule}</p>
    ${
      preview.length
        ? html`<table class="action-preview">
      <thead><tr>${columns.map((column) => html`<th class=${column.numeric ? "num" : ""}>${column.label}</th>`)}</tr></thead>
      <tbody>${preview.map((row) => html`<tr>${columns.map((column) => html`<td class=${column.numeric ? "num" : ""}>${column.value(row)}</td>`)}</tr>`)}</tbody>
    </table>`
        : html`<p class="empty">Nothing to do here this week.</p>`
    }
    ${preview.length < count ? html`<p class="action-more">The first ${preview.length} of ${count.toLocaleString("en-GB")}; the downloads hold them all.${link ? html` <a href=${link.href}>${link.text}</a>` : ""}</p>` : link ? html`<p class="action-more"><a href=${link.href}>${link.text}</a></p>` : ""}
    ${downloadButtons(download, {filename: `action-${key}`})}
  </section>`;
}

/** An action item whose model could not be fitted on this data: its title and the reason, no list. */
export function actionUnavailable(key: string, title: string, notice: HTMLElement): HTMLElement {
  return html`<section class="card action" id=${`action-${key}`} data-action=${key} data-count="0" data-value="0" data-unavailable>
    <h2>${title}</h2>${notice}
  </section>`;
}
