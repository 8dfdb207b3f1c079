/**
 * Download buttons for query results: CSV (formula cells neutralised, see csv.ts) and Parquet (written
 * in the browser with parquet-wasm, loaded only when someone asks for a Parquet file).
 */
import type {Table} from "apache-arrow";
import {html} from "htl";
import {arrowRows} from "./arrow-values.js";
import {escapeCsvCell} from "./csv.js";
import {parquetWasm} from "./parquet-wasm.js";

/** A CSV file of every row of an Arrow table, built in pieces (a Blob of lines) so large tables fit. */
export function csvBlob(table: Table): Blob {
  const columns = table.schema.fields.map((field) => field.name);
  const parts: string[] = [columns.map(escapeCsvCell).join(",") + "\r\n"];
  for (const row of arrowRows(table, columns)) parts.push(row.map(escapeCsvCell).join(",") + "\r\n");
  return new Blob(parts, {type: "text/csv;charset=utf-8"});
}

/** A Parquet file (zstd) of every row of an Arrow table. */
export async function parquetBlob(table: Table): Promise<Blob> {
  const [parquet, {tableToIPC}] = await Promise.all([parquetWasm(), import("apache-arrow")]);
  const wasmTable = parquet.Table.fromIPCStream(tableToIPC(table, "stream"));
  const properties = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.ZSTD).build();
  const bytes = parquet.writeParquet(wasmTable, properties);
  return new Blob([bytes as BlobPart], {type: "application/vnd.apache.parquet"});
}

/** Saves a Blob under a file name (through a temporary object URL and link). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = html`<a href=${url} download=${filename} hidden></a>` as HTMLAnchorElement;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * "Download CSV" and "Download Parquet" buttons for a table, or for whatever `rows()` returns when
 * clicked (so a page can query exactly the filtered rows at that moment).
 */
export function downloadButtons(rows: Table | (() => Promise<Table>), {filename = "rows"}: {filename?: string} = {}): HTMLElement {
  const get = typeof rows === "function" ? rows : async () => rows;
  const status = html`<span class="download-status" role="status"></span>` as HTMLElement;
  const button = (label: string, kind: "csv" | "parquet") => {
    const element = html`<button type="button" data-download=${kind}>${label}</button>` as HTMLButtonElement;
    element.onclick = async () => {
      element.disabled = true;
      status.textContent = `Preparing ${kind.toUpperCase()}…`;
      try {
        const table = await get();
        saveBlob(kind === "csv" ? csvBlob(table) : await parquetBlob(table), `${filename}.${kind}`);
        status.textContent = `${table.numRows.toLocaleString("en-GB")} rows saved as ${filename}.${kind}`;
      } catch (error) {
        status.textContent = `Download failed: ${(error as Error).message}`;
      } finally {
        element.disabled = false;
      }
    };
    return element;
  };
  return html`<div class="downloads">${button("Download CSV", "csv")} ${button("Download Parquet", "parquet")} ${status}</div>`;
}
