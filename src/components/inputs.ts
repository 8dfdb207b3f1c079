/**
 * Observable Inputs, with `Inputs.table` taught to show Arrow tables (what `sql` returns) the way the
 * snapshots mean them: TIMESTAMP and DATE columns as dates (not epoch milliseconds), BigInts as numbers.
 * ```sql cells display their result with the page's `Inputs.table`, so this is what they show.
 */
import * as ObservableInputs from "@observablehq/inputs";
import type {Table} from "apache-arrow";
import {arrowColumnValues} from "./arrow-values.js";

function isArrowTable(data: unknown): data is Table {
  return typeof data === "object" && data !== null && "schema" in data && typeof (data as Table).getChild === "function" && "numRows" in data;
}

/** An Arrow table's rows as plain objects of JS values (see arrow-values.ts). */
export function arrowToObjects(table: Table): Record<string, unknown>[] {
  const columns = table.schema.fields.map((field) => [field.name, arrowColumnValues(table.getChild(field.name)!)] as const);
  return Array.from({length: table.numRows}, (_, row) => Object.fromEntries(columns.map(([name, values]) => [name, values[row]])));
}

export function table(data: unknown, options?: Record<string, unknown>): HTMLElement {
  if (isArrowTable(data)) {
    return ObservableInputs.table(arrowToObjects(data), {columns: data.schema.fields.map((field) => field.name), ...options});
  }
  return ObservableInputs.table(data, options);
}

export const {
  button,
  checkbox,
  toggle,
  radio,
  range,
  number,
  select,
  text,
  email,
  tel,
  url,
  password,
  color,
  date,
  datetime,
  textarea,
  search,
  file,
  form,
  input,
  bind,
  disposal,
  searchFilter,
  formatDate,
  formatLocaleAuto,
  formatLocaleNumber,
  formatTrim,
  formatAuto,
  formatNumber
} = ObservableInputs;
