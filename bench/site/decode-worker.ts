// Decodes a Parquet file off the main thread and transfers the Arrow IPC stream back.
import {decodeWithHyparquet, decodeWithParquetWasm} from "./decode.js";

self.onmessage = async ({data}: MessageEvent<{decoder: "parquet-wasm" | "hyparquet"; url: string; wasm: string}>) => {
  try {
    const decoded = data.decoder === "parquet-wasm" ? await decodeWithParquetWasm(data.url, data.wasm) : await decodeWithHyparquet(data.url);
    (self as unknown as Worker).postMessage(decoded, [decoded.ipc.buffer]);
  } catch (error) {
    (self as unknown as Worker).postMessage({error: String((error as Error)?.stack ?? error)});
  }
};
