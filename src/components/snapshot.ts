/**
 * The fast path: small pre-aggregated snapshots decoded straight into JavaScript with hyparquet (no
 * WebAssembly to compile, no worker), as Arquero tables for reshaping when a filter changes. Dashboards
 * draw their first chart from these without waiting for DuckDB-WASM. Use it for snapshots of up to a few
 * tens of thousands of rows; query large ones (`sales`) with `sql` instead.
 *
 * A line-grain snapshot (shipped packed, for range reads) is read through DuckDB-WASM instead, so it costs
 * the engine's boot: pages should ask it for what they show, not load it whole.
 *
 * Column types: BIGINT arrives as a JavaScript number (exact below 2^53, true of every count here),
 * TIMESTAMP and DATE as Date objects holding the wall-clock time in their UTC fields (use UTC getters).
 */
import * as aq from "./arquero.js";
import {parquetMetadataAsync, parquetRead} from "hyparquet";
import {snapshotFile} from "./snapshot-files.js";
import {arrowColumnValues} from "./arrow-values.js";

export type Columns = Record<string, unknown[]>;

const loaded = new Map<string, Promise<Columns>>();
const downloads = new Map<string, Promise<ArrayBuffer>>();

/**
 * Starts downloading a Parquet snapshot without decoding it, so a page can fetch a file at once and
 * spend the processor on it later (after its first chart); `loadColumns` then decodes these bytes.
 * Packed snapshots are read through DuckDB-WASM by range, so there is nothing to prefetch.
 */
export function prefetchSnapshot(name: string): void {
  if (snapshotFile(name).form === "parquet" && !downloads.has(name)) {
    const bytes = download(name);
    bytes.catch(() => downloads.delete(name));
    downloads.set(name, bytes);
  }
}

/** The prefetched bytes (handed over once: the decoded columns are what is cached), or a new download. */
function takeDownload(name: string): Promise<ArrayBuffer> {
  const bytes = downloads.get(name) ?? download(name);
  downloads.delete(name);
  return bytes;
}

async function download(name: string): Promise<ArrayBuffer> {
  const url = snapshotFile(name).url();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load snapshot ${name} from ${url}: HTTP ${response.status}; rebuild the site with \`npm run build\``);
  return response.arrayBuffer();
}

export interface LoadOptions {
  /** Columns to decode (default: all). Naming fewer makes a first chart faster. */
  columns?: readonly string[];
}

/** A snapshot's columns as plain arrays (cached: callers asking for the same columns share one decode). */
export function loadColumns(name: string, {columns}: LoadOptions = {}): Promise<Columns> {
  const key = columns ? `${name}:${columns.join(",")}` : name;
  let decoded = loaded.get(key);
  if (!decoded) {
    decoded = decode(name, columns);
    loaded.set(key, decoded);
    decoded.catch(() => loaded.delete(key));
  }
  return decoded;
}

/** A snapshot as an Arquero table. */
export async function loadTable(name: string, options: LoadOptions = {}): Promise<aq.ColumnTable> {
  return aq.table(await loadColumns(name, options));
}

async function decode(name: string, only?: readonly string[]): Promise<Columns> {
  if (snapshotFile(name).form === "packed") return selectColumns(name, only);
  const file = await takeDownload(name);
  const metadata = await parquetMetadataAsync(file);
  const rows = Number(metadata.num_rows);
  const columns: Columns = {};
  const names = metadata.schema.slice(1).map((element) => element.name);
  const unknown = only?.filter((column) => !names.includes(column)) ?? [];
  if (unknown.length) throw new Error(`snapshot ${name} has no column ${unknown.join(", ")}; its columns are ${names.join(", ")}`);
  for (const column of only ?? names) columns[column] = new Array(rows);
  await parquetRead({
    file,
    metadata,
    columns: only ? [...only] : undefined,
    onChunk({columnName, columnData, rowStart, rowEnd}) {
      const target = columns[columnName]!;
      for (let row = rowStart, i = 0; row < rowEnd; row++, i++) {
        const value = columnData[i];
        target[row] = typeof value === "bigint" ? Number(value) : value;
      }
    }
  });
  performance.mark(`snapshot decoded: ${name}`);
  return columns;
}

/** The columns of a packed snapshot, through DuckDB-WASM (same value types as the fast path). */
async function selectColumns(name: string, only?: readonly string[]): Promise<Columns> {
  const {query} = await import("./db.js");
  const list = only ? only.map((column) => `"${column.replaceAll('"', '""')}"`).join(", ") : "*";
  const table = await query(`SELECT ${list} FROM "${name}"`);
  const columns: Columns = {};
  for (const field of table.schema.fields) columns[field.name] = arrowColumnValues(table.getChild(field.name)!);
  return columns;
}
