// The two Parquet decoders under test, each producing an Arrow IPC stream for insertArrowFromIPCStream.
import {tableFromIPC, tableToIPC, tableFromArrays, type Table} from "apache-arrow";
import {parquetRead, parquetReadObjects, parquetMetadataAsync} from "hyparquet";
import initParquetWasm, {readParquet} from "parquet-wasm/esm";

export interface Decoded {
  ipc: Uint8Array;
  fetchMs: number;
  decodeMs: number;
  rows: number;
}

let parquetWasmReady: Promise<unknown> | null = null;

export async function decodeWithParquetWasm(url: string, wasmUrl: string): Promise<Decoded> {
  parquetWasmReady ??= initParquetWasm({module_or_path: wasmUrl});
  const start = performance.now();
  const [bytes] = await Promise.all([fetch(url).then((response) => response.arrayBuffer()), parquetWasmReady]);
  const fetched = performance.now();
  const table = readParquet(new Uint8Array(bytes), {batchSize: 1 << 20});
  const ipc = table.intoIPCStream();
  return {ipc, fetchMs: fetched - start, decodeMs: performance.now() - fetched, rows: -1};
}

export async function decodeWithHyparquet(url: string): Promise<Decoded> {
  const start = performance.now();
  const buffer = await fetch(url).then((response) => response.arrayBuffer());
  const fetched = performance.now();
  const metadata = await parquetMetadataAsync(buffer);
  const columns: Record<string, unknown[]> = {};
  await parquetRead({
    file: buffer,
    metadata,
    onChunk({columnName, columnData, rowStart}) {
      const target = (columns[columnName] ??= []);
      for (let i = 0; i < columnData.length; i++) target[rowStart + i] = columnData[i];
    }
  });
  // BIGINT columns come back as BigInt; TIMESTAMPs as Date: Arrow infers Int64 and Date types.
  const table = tableFromArrays(columns as Record<string, never>) as unknown as Table;
  const ipc = tableToIPC(table, "stream");
  return {ipc, fetchMs: fetched - start, decodeMs: performance.now() - fetched, rows: table.numRows};
}

export async function readObjectsWithHyparquet(url: string): Promise<Record<string, unknown>[]> {
  const buffer = await fetch(url).then((response) => response.arrayBuffer());
  return parquetReadObjects({file: buffer});
}

export async function readArrowWithParquetWasm(url: string, wasmUrl: string): Promise<Table> {
  parquetWasmReady ??= initParquetWasm({module_or_path: wasmUrl});
  const [bytes] = await Promise.all([fetch(url).then((response) => response.arrayBuffer()), parquetWasmReady]);
  return tableFromIPC(readParquet(new Uint8Array(bytes)).intoIPCStream());
}
