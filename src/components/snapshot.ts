/**
 * The fast path: small pre-aggregated snapshots decoded straight into JavaScript with hyparquet (no
 * WebAssembly to compile, no worker), as Arquero tables for reshaping when a filter changes. Dashboards
 * draw their first chart from these without waiting for DuckDB-WASM. Use it for snapshots of up to a few
 * tens of thousands of rows; query large ones (`sales`) with `sql` instead.
 *
 * Column types: BIGINT arrives as a JavaScript number (exact below 2^53, true of every count here),
 * TIMESTAMP and DATE as Date objects holding the wall-clock time in their UTC fields (use UTC getters).
 */
import * as aq from "./arquero.js";
import {parquetMetadataAsync, parquetRead} from "hyparquet";
import {compressors} from "hyparquet-compressors";
import {snapshotFiles} from "./snapshot-files.js";

export type Columns = Record<string, unknown[]>;

const loaded = new Map<string, Promise<Columns>>();

/** A snapshot's columns as plain arrays (cached: every caller on the page shares one decode). */
export function loadColumns(name: string): Promise<Columns> {
  let columns = loaded.get(name);
  if (!columns) {
    columns = decode(name);
    loaded.set(name, columns);
    columns.catch(() => loaded.delete(name));
  }
  return columns;
}

/** A snapshot as an Arquero table. */
export async function loadTable(name: string): Promise<aq.ColumnTable> {
  return aq.table(await loadColumns(name));
}

async function decode(name: string): Promise<Columns> {
  const url = snapshotFiles(name).parquet();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load snapshot ${name} from ${url}: HTTP ${response.status}; rebuild the site with \`npm run build\``);
  const file = await response.arrayBuffer();
  const metadata = await parquetMetadataAsync(file);
  const rows = Number(metadata.num_rows);
  const columns: Columns = {};
  for (const element of metadata.schema.slice(1)) columns[element.name] = new Array(rows);
  await parquetRead({
    file,
    metadata,
    compressors,
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
