/**
 * parquet-wasm from node_modules, instantiated once per page and only when first asked for (its engine is
 * 5 MB of WebAssembly): the SQL path reads small Parquet snapshots with it, the downloads write Parquet.
 */
const PARQUET_WASM = import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm");

let loading: Promise<typeof import("parquet-wasm/esm")> | null = null;

export function parquetWasm(): Promise<typeof import("parquet-wasm/esm")> {
  return (loading ??= import("parquet-wasm/esm").then(async (module) => (await module.default({module_or_path: PARQUET_WASM}), module)));
}
