/**
 * A virtualised, sortable table over an Apache Arrow table (e.g. a `sql` result): only the rows in view
 * are in the DOM, so half a million line items scroll smoothly. Click a header to sort (again to reverse);
 * sorting permutes row indexes, the data is never copied into row objects.
 *
 *   display(virtualTable(rows, {height: 480}))
 */
import type {Table} from "apache-arrow";
import {html} from "htl";
import {arrowColumnValues, formatCell} from "./arrow-values.js";

export interface VirtualTableOptions {
  /** Visible height in pixels. Default: 440. */
  height?: number;
  /** Row height in pixels (rows are one line). Default: 24. */
  rowHeight?: number;
  /** Columns to show, in order. Default: all. */
  columns?: readonly string[];
  /** Rows rendered above and below the visible window. Default: 10. */
  overscan?: number;
  /** Header text by column (default: the column name). */
  labels?: Readonly<Record<string, string>>;
  /** Columns shown as pounds with pence (£1,234.50). */
  money?: readonly string[];
  /** Show every floating-point column with two decimals (default: up to two, as the value needs). */
  fixedDecimals?: boolean;
  /** A class for a row (e.g. "cancelled"), given a reader of its values. */
  rowClass?: (get: (column: string) => unknown) => string;
  /** A badge after the last column's value when it applies (e.g. "cancelled"), given a reader of its values. */
  rowBadge?: (get: (column: string) => unknown) => {text: string; tone: string} | null;
}

// Arrow's type ids (apache-arrow's `Type` enum), inlined so the table need not load apache-arrow.
const NUMERIC_TYPES = new Set([2, 3, 7]); // Int, Float, Decimal
const FLOAT = 3;
const pounds = new Intl.NumberFormat("en-GB", {style: "currency", currency: "GBP", minimumFractionDigits: 2, maximumFractionDigits: 2});
const fixed2 = new Intl.NumberFormat("en-GB", {minimumFractionDigits: 2, maximumFractionDigits: 2});

export function virtualTable(table: Table, options: VirtualTableOptions = {}): HTMLElement {
  const {height = 440, rowHeight = 24, overscan = 10, labels = {}, rowClass, rowBadge} = options;
  const money = new Set(options.money ?? []);
  const columns = options.columns ?? table.schema.fields.map((field) => field.name);
  const vectors = columns.map((name) => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`virtualTable: no column ${JSON.stringify(name)}; columns are ${table.schema.fields.map((f) => f.name).join(", ")}`);
    return vector;
  });
  const types = columns.map((name) => table.schema.fields.find((field) => field.name === name)!.type);
  const numeric = types.map((type) => NUMERIC_TYPES.has(type.typeId));
  const cell = (value: unknown, column: number): string => {
    if (value === null || value === undefined) return "";
    const name = columns[column]!;
    if (money.has(name)) return pounds.format(Number(value));
    if (options.fixedDecimals && types[column]!.typeId === FLOAT) return fixed2.format(Number(value));
    return formatCell(value, types[column]!);
  };
  const count = table.numRows;
  let order: Uint32Array = Uint32Array.from({length: count}, (_, i) => i);
  let sortColumn: number | null = null;
  let descending = false;

  const headerCells = columns.map((name, index) => {
    const header =
      html`<th data-column=${name} class=${numeric[index] ? "number" : ""} title="Sort by ${labels[name] ?? name}">${labels[name] ?? name}</th>` as HTMLElement;
    header.onclick = () => sortBy(index);
    return header;
  });
  const body = html`<tbody></tbody>` as HTMLElement;
  const topSpacer = html`<tr class="spacer"><td colspan=${columns.length}></td></tr>` as HTMLElement;
  const bottomSpacer = html`<tr class="spacer"><td colspan=${columns.length}></td></tr>` as HTMLElement;
  const scroller = html`<div class="virtual-table" style="max-height:${height}px" tabindex="0">
    <table><thead><tr>${headerCells}</tr></thead>${body}</table>
  </div>` as HTMLElement;
  const root = html`<div class="virtual-table-wrap" data-rows=${String(count)}>${scroller}
    <div class="virtual-table__count">${count.toLocaleString("en-GB")} row${count === 1 ? "" : "s"}</div></div>` as HTMLElement;

  let rendered = "";
  function render() {
    const first = Math.max(0, Math.floor(scroller.scrollTop / rowHeight) - overscan);
    const last = Math.min(count, Math.ceil((scroller.scrollTop + height) / rowHeight) + overscan);
    const key = `${first}:${last}`;
    if (key === rendered) return;
    rendered = key;
    const rows: HTMLElement[] = [];
    for (let position = first; position < last; position++) {
      const row = order[position]!;
      const get = (name: string) => table.getChild(name)?.get(row);
      const extra = rowBadge?.(get);
      rows.push(
        html`<tr style="height:${rowHeight}px" class=${rowClass?.(get) ?? ""}>${vectors.map(
          (vector, column) =>
            html`<td class=${numeric[column] ? "number" : ""}>${cell(vector.get(row), column)}${
              extra && column === vectors.length - 1 ? html` <span class="badge" data-tone=${extra.tone}>${extra.text}</span>` : ""
            }</td>`
        )}</tr>` as HTMLElement
      );
    }
    (topSpacer.firstChild as HTMLElement).style.height = `${first * rowHeight}px`;
    (bottomSpacer.firstChild as HTMLElement).style.height = `${(count - last) * rowHeight}px`;
    body.replaceChildren(topSpacer, ...rows, bottomSpacer);
  }

  function sortBy(column: number) {
    descending = sortColumn === column ? !descending : false;
    sortColumn = column;
    const values = arrowColumnValues(vectors[column]!);
    const direction = descending ? -1 : 1;
    order = Uint32Array.from({length: count}, (_, i) => i).sort((a, b) => {
      const x = values[a];
      const y = values[b];
      if (x === y) return a - b;
      if (x === null || x === undefined) return 1; // nulls last either way
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * direction;
    });
    headerCells.forEach((cell, index) => cell.setAttribute("aria-sort", index === column ? (descending ? "descending" : "ascending") : "none"));
    rendered = "";
    render();
  }

  scroller.addEventListener("scroll", () => requestAnimationFrame(render), {passive: true});
  render();
  return root;
}
