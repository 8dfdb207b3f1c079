/**
 * A small, plain HTML table of records (segment summaries, profiles, a model's metrics): every row
 * carries `data-row` (its key) and every cell `data-column` and the exact `data-value`, so tests and
 * tools read numbers without parsing formatted text. For thousands of rows use `Inputs.table` or
 * `virtualTable` instead.
 */
import {html} from "htl";

export interface RecordColumn<T> {
  /** Field of the record. */
  key: keyof T & string;
  /** Header text. */
  label: string;
  /** Cell content (default: the value as text). */
  format?: (value: T[keyof T], row: T) => string | Node;
  /** Right-aligned, tabular figures. Default: true when the first row's value is a number. */
  numeric?: boolean;
  /** Header tooltip. */
  title?: string;
}

export interface RecordTableOptions<T> {
  columns: readonly RecordColumn<T>[];
  /** Field identifying a row (its `data-row`). */
  rowKey: keyof T & string;
  /** `data-table` name of the table. */
  name: string;
  /** Text when there are no rows. Default: "No rows." */
  empty?: string;
}

export function recordTable<T extends Record<string, unknown>>(rows: readonly T[], options: RecordTableOptions<T>): HTMLElement {
  const {columns, rowKey, name, empty = "No rows."} = options;
  if (rows.length === 0) return html`<p class="empty" data-table=${name}>${empty}</p>`;
  const numeric = columns.map((column) => column.numeric ?? typeof rows[0]![column.key] === "number");
  return html`<div class="record-table" data-table=${name}><table>
    <thead><tr>${columns.map((column, i) => html`<th class=${numeric[i] ? "number" : ""} title=${column.title ?? ""}>${column.label}</th>`)}</tr></thead>
    <tbody>${rows.map(
      (row) =>
        html`<tr data-row=${String(row[rowKey])}>${columns.map((column, i) => {
          const value = row[column.key];
          return html`<td class=${numeric[i] ? "number" : ""} data-column=${column.key} data-value=${value === null || value === undefined ? "" : String(value)}>${
            column.format ? column.format(value, row) : value === null || value === undefined ? "" : String(value)
          }</td>`;
        })}</tr>`
    )}</tbody>
  </table></div>`;
}
