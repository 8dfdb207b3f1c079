/**
 * The table standard of the site, for customers, products, segments, rules, anomalies …: right-aligned
 * numbers with £ and fixed decimals, badges for severity and risk, a search box, the row count, CSV (and,
 * given an Arrow table, Parquet) downloads of the rows shown, sortable headers, and no horizontal overflow —
 * columns marked `detail` move into an expandable detail row (always, or only at phone width).
 *
 *   display(dataTable(rows, {name: "top-products", rowKey: "stock_code", noun: ["product", "products"],
 *     columns: [{key: "description", label: "Product"}, {key: "net_revenue", label: "Net revenue", type: "money"},
 *               {key: "return_rate", label: "Returned", type: "percent"}, {key: "countries", label: "Countries", type: "count", detail: "narrow"}],
 *     download: {filename: "products"}}));
 *
 * Every row carries `data-row` (its key), every cell `data-column` and the exact `data-value`; the table's
 * root carries `data-table` and `data-rows` (rows matching the search).
 */
import type {Table} from "apache-arrow";
import {html} from "htl";
import {toCsv} from "./csv.js";
import {csvBlob, parquetBlob, saveBlob} from "./downloads.js";
import {formatCount, formatDay, formatMoney, formatNumber, formatPercent} from "./format.js";

export type ColumnType = "text" | "money" | "money2" | "count" | "number" | "percent" | "date" | "badge";

export interface DataColumn<T> {
  key: keyof T & string;
  label: string;
  /** How the value is shown (and aligned): numbers right-aligned with tabular figures. Default: "text". */
  type?: ColumnType;
  /** Custom cell content (overrides the type's format; the type still sets the alignment). */
  format?: (value: any, row: T) => string | Node;
  /** Badge tone for `type: "badge"` (default: the value in lower case: "high", "medium", "low", "critical"). */
  tone?: (value: any, row: T) => string;
  /** Show in the expandable detail row instead of the table: always (true) or at phone width ("narrow"). */
  detail?: boolean | "narrow";
  /** Header tooltip. */
  title?: string;
  /** Searchable text column. Default: true for text and badge columns. */
  search?: boolean;
}

export interface DataTableOptions<T> {
  name: string;
  columns: readonly DataColumn<T>[];
  /** Field identifying a row (its `data-row`). Default: the first column. */
  rowKey?: keyof T & string;
  /** What a row is, for the count ("12 of 340 customers"). Default: ["row", "rows"]. */
  noun?: readonly [string, string];
  /** Show a search box. Default: true when there are more than 10 rows. */
  search?: boolean;
  /** Search placeholder. */
  placeholder?: string;
  /** Rows shown before "Show more". Default: 25. */
  pageSize?: number;
  /** Initial order (default: as given); `descending` defaults to true for number columns. */
  sort?: {key: keyof T & string; descending?: boolean};
  /**
   * Downloads of the rows matching the search. CSV of the columns' raw values by default; `arrow` gives the
   * exact snapshot types for CSV and Parquet (called with the matching rows' keys, or ignored when null).
   */
  download?: {filename: string; arrow?: (keys: readonly unknown[]) => Table | Promise<Table>} | false;
  /** Extra class of a row (e.g. "cancelled"). */
  rowClass?: (row: T) => string;
  /** Text when there are no rows. */
  empty?: string;
}

const NUMERIC: ReadonlySet<ColumnType> = new Set(["money", "money2", "count", "number", "percent"]);

const FORMATS: Record<ColumnType, (value: any) => string> = {
  text: (value) => (value === null || value === undefined ? "" : String(value)),
  money: (value) => formatMoney(value),
  money2: (value) => formatMoney(value, {pence: true}),
  count: (value) => formatCount(value),
  number: (value) => formatNumber(value),
  percent: (value) => formatPercent(value),
  date: (value) => (value instanceof Date ? formatDay(value) : value === null || value === undefined ? "" : String(value)),
  badge: (value) => (value === null || value === undefined ? "" : String(value))
};

/** A coloured label: severity, risk level, "cancelled". */
export function badge(text: string, tone = text.toLowerCase()): HTMLElement {
  return html`<span class="badge" data-tone=${tone}>${text}</span>` as HTMLElement;
}

export function cellContent<T>(column: DataColumn<T>, row: T): string | Node {
  const value = row[column.key];
  if (column.format) return column.format(value, row);
  const type = column.type ?? "text";
  if (type === "badge")
    return value === null || value === undefined || value === "" ? "" : badge(String(value), column.tone ? column.tone(value, row) : undefined);
  return FORMATS[type](value);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "bigint") a = Number(a);
  if (typeof b === "bigint") b = Number(b);
  if (a === b) return 0;
  if (a === null || a === undefined || (typeof a === "number" && Number.isNaN(a))) return 1;
  if (b === null || b === undefined || (typeof b === "number" && Number.isNaN(b))) return -1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), "en-GB", {numeric: true});
}

/** Rows whose searchable columns contain every word of `query` (case-insensitive). */
export function searchRows<T>(rows: readonly T[], columns: readonly (keyof T)[], query: string): T[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const text = columns
      .map((column) => String(row[column] ?? ""))
      .join(" ")
      .toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Rows sorted by a column (stable; empty values last in either direction). */
export function sortRows<T>(rows: readonly T[], key: keyof T, descending: boolean): T[] {
  return rows
    .map((row, index) => ({row, index}))
    .sort((x, y) => {
      const a = x.row[key];
      const b = y.row[key];
      const empty = (v: unknown) => v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
      if (empty(a) || empty(b)) return empty(a) === empty(b) ? x.index - y.index : empty(a) ? 1 : -1;
      return (descending ? -compare(a, b) : compare(a, b)) || x.index - y.index;
    })
    .map(({row}) => row);
}

export function dataTable<T extends Record<string, any>>(rows: readonly T[], options: DataTableOptions<T>): HTMLElement {
  const {name, columns, noun = ["row", "rows"], pageSize = 25, download, rowClass, empty = "No rows match."} = options;
  const rowKey = options.rowKey ?? columns[0]!.key;
  const numeric = (column: DataColumn<T>) => NUMERIC.has(column.type ?? "text");
  const shown = columns.filter((column) => column.detail !== true);
  const details = columns.filter((column) => column.detail);
  const hasAlwaysDetail = columns.some((column) => column.detail === true);
  const searchable = columns.filter((column) => column.search ?? ["text", "badge", undefined].includes(column.type)).map((column) => column.key);
  const showSearch = options.search ?? rows.length > 10;

  let sortKey: (keyof T & string) | null = options.sort?.key ?? null;
  let descending = options.sort ? (options.sort.descending ?? numeric(columns.find((c) => c.key === options.sort!.key) ?? columns[0]!)) : false;
  let query = "";
  let limit = pageSize;
  let matching: T[] = [];

  const searchBox =
    html`<input type="search" class="data-table__search" placeholder=${options.placeholder ?? `Search ${noun[1]}…`} aria-label=${`Search ${noun[1]}`} autocomplete="off">` as HTMLInputElement;
  const countText = html`<span class="data-table__count" role="status"></span>` as HTMLElement;
  const status = html`<span class="download-status" role="status"></span>` as HTMLElement;
  const headers = shown.map((column) => {
    const button = html`<button type="button" title=${column.title ?? `Sort by ${column.label}`}>${column.label}</button>` as HTMLButtonElement;
    button.onclick = () => {
      descending = sortKey === column.key ? !descending : numeric(column);
      sortKey = column.key;
      update();
    };
    return html`<th scope="col" data-column=${column.key} class=${[numeric(column) ? "number" : "", column.detail === "narrow" ? "dt-narrow" : ""].join(" ")}>${button}</th>` as HTMLElement;
  });
  const body = html`<tbody></tbody>` as HTMLElement;
  const more = html`<button type="button" class="data-table__more"></button>` as HTMLButtonElement;
  more.onclick = () => {
    limit += pageSize;
    renderBody();
  };
  const downloadButton = (kind: "csv" | "parquet") => {
    const button = html`<button type="button" data-download=${kind}>${kind === "csv" ? "Download CSV" : "Download Parquet"}</button>` as HTMLButtonElement;
    button.onclick = async () => {
      if (!download) return;
      button.disabled = true;
      try {
        const filename = `${download.filename}.${kind}`;
        if (download.arrow) {
          const table = await download.arrow(matching.map((row) => row[rowKey]));
          saveBlob(kind === "csv" ? csvBlob(table) : await parquetBlob(table), filename);
        } else {
          const keys = columns.map((column) => column.key);
          saveBlob(
            new Blob(
              [
                toCsv(
                  keys,
                  matching.map((row) => keys.map((key) => row[key]))
                )
              ],
              {type: "text/csv;charset=utf-8"}
            ),
            filename
          );
        }
        status.textContent = `${formatCount(matching.length)} ${matching.length === 1 ? noun[0] : noun[1]} saved as ${filename}`;
      } catch (error) {
        status.textContent = `Download failed: ${(error as Error).message}`;
      } finally {
        button.disabled = false;
      }
    };
    return button;
  };
  const root = html`<div class="data-table" data-table=${name}>
    <div class="data-table__toolbar">
      ${showSearch ? searchBox : ""}${countText}
      ${download ? html`<span class="downloads">${downloadButton("csv")}${download.arrow ? downloadButton("parquet") : ""}${status}</span>` : ""}
    </div>
    <div class="data-table__scroll"><table>
      <thead><tr>${details.length ? html`<th class=${`dt-toggle-cell${hasAlwaysDetail ? "" : " dt-narrow-only"}`}><span class="sr-only">Details</span></th>` : ""}${headers}</tr></thead>
      ${body}
    </table></div>
    ${more}
  </div>` as HTMLElement;

  function renderRow(row: T): Node[] {
    const cells = shown.map((column) => {
      const value: unknown = row[column.key];
      return html`<td data-column=${column.key} data-value=${value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value)}
        class=${[numeric(column) ? "number" : "", column.detail === "narrow" ? "dt-narrow" : ""].join(" ")}>${cellContent(column, row)}</td>`;
    });
    const tr = html`<tr data-row=${String(row[rowKey])} class=${rowClass?.(row) ?? ""}></tr>` as HTMLElement;
    if (!details.length) {
      tr.append(...cells);
      return [tr];
    }
    const detail = html`<tr class="data-table__detail" hidden><td colspan=${shown.length + 1}><dl>${details.map(
      (column) =>
        html`<div class=${column.detail === "narrow" ? "dt-narrow-only" : ""}><dt>${column.label}</dt><dd data-column=${column.key}>${cellContent(column, row)}</dd></div>`
    )}</dl></td></tr>` as HTMLElement;
    const toggle = html`<button type="button" class="dt-toggle" aria-expanded="false" aria-label="Show details">▸</button>` as HTMLButtonElement;
    toggle.onclick = () => {
      const open = detail.hidden;
      detail.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      toggle.textContent = open ? "▾" : "▸";
    };
    tr.append(html`<td class=${`dt-toggle-cell${hasAlwaysDetail ? "" : " dt-narrow-only"}`}>${toggle}</td>`, ...cells);
    return [tr, detail];
  }

  function renderBody() {
    const visible = matching.slice(0, limit);
    body.replaceChildren(
      ...(visible.length
        ? visible.flatMap(renderRow)
        : [html`<tr class="data-table__empty"><td colspan=${shown.length + 1}>${rows.length ? empty : "No rows."}</td></tr>`])
    );
    const total = rows.length;
    const word = (n: number) => (n === 1 ? noun[0] : noun[1]);
    countText.textContent = query
      ? `${formatCount(matching.length)} of ${formatCount(total)} ${word(total)} match${visible.length < matching.length ? `, showing ${formatCount(visible.length)}` : ""}`
      : `${formatCount(total)} ${word(total)}${visible.length < total ? `, showing ${formatCount(visible.length)}` : ""}`;
    more.hidden = visible.length >= matching.length;
    more.textContent = `Show ${formatCount(Math.min(pageSize, matching.length - visible.length))} more`;
    root.dataset.rows = String(matching.length);
  }

  function update() {
    const found = searchRows(rows, searchable, query);
    matching = sortKey ? sortRows(found, sortKey, descending) : found;
    headers.forEach((th, i) => th.setAttribute("aria-sort", shown[i]!.key === sortKey ? (descending ? "descending" : "ascending") : "none"));
    limit = pageSize;
    renderBody();
  }

  searchBox.addEventListener("input", (event) => {
    event.stopPropagation();
    query = searchBox.value;
    update();
  });
  update();
  return root;
}
