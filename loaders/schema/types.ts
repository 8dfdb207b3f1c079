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
}
