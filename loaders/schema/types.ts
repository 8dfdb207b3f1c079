export interface SnapshotColumn {
  type: "VARCHAR" | "BIGINT" | "INTEGER" | "DOUBLE" | "BOOLEAN" | "DATE" | "TIMESTAMP";
  description: string;
}

export interface SnapshotSpec {
  layer: "raw" | "quarantine" | "clean" | "mart" | "model" | "meta";
  grain: string;
  description: string;
  columns: Record<string, SnapshotColumn>;
  /** Rewritten on every run (timings): left out of byte-for-byte determinism. */
  volatile?: boolean;
  /**
   * The one form the site ships (loaders/site/publish.ts). "parquet" (the default): the Parquet file, which
   * pages decode in JavaScript on the fast path and DuckDB-WASM loads whole for SQL — for snapshots whose
   * size follows products, customers or days. "packed": a read-only DuckDB file that DuckDB-WASM reads over
   * HTTP range requests, block by block — for line- and invoice-grain snapshots, which grow with the data
   * and are too large to download on every visit at scale.
   */
  browser?: "parquet" | "packed";
  /**
   * The columns a packed copy is stored by, so that a filter on the first reads only its blocks. Default: by
   * invoice date (then file and line, or invoice number) for tables that have one (loaders/site/packed.ts).
   */
  packedOrder?: readonly string[];
}
