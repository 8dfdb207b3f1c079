/**
 * The snapshot contract: every published table, its grain and its columns. Pages, tests and the
 * pipeline all read this one description; the pipeline refuses to publish a table whose columns differ.
 * Money is in pounds sterling (DOUBLE, computed exactly in DECIMAL first); timestamps are the shop's
 * local wall-clock time without a time zone. Each layer documents its tables in its own file.
 */
import {CORE_SNAPSHOTS} from "./core.js";
import {CUSTOMER_MODEL_SNAPSHOTS} from "./customer-models.js";
import {MODEL_METRICS_SNAPSHOTS} from "./model-metrics.js";
import {SALES_MODEL_SNAPSHOTS} from "./sales-models.js";
import type {SnapshotSpec} from "./types.js";

export type {SnapshotColumn, SnapshotSpec} from "./types.js";

export const SNAPSHOTS = {
  ...CORE_SNAPSHOTS,
  ...CUSTOMER_MODEL_SNAPSHOTS,
  ...SALES_MODEL_SNAPSHOTS,
  ...MODEL_METRICS_SNAPSHOTS
} as const satisfies Record<string, SnapshotSpec>;

export type SnapshotName = keyof typeof SNAPSHOTS;

export const SNAPSHOT_NAMES = Object.keys(SNAPSHOTS) as SnapshotName[];

/** Snapshots whose bytes depend on the input data only (not on timings): the determinism contract. */
export const STABLE_SNAPSHOTS = SNAPSHOT_NAMES.filter((name) => !(SNAPSHOTS[name] as SnapshotSpec).volatile);

export function isSnapshotName(name: string): name is SnapshotName {
  return Object.hasOwn(SNAPSHOTS, name);
}

/** The one form the site ships a snapshot in (see SnapshotSpec.browser). */
export function browserForm(name: SnapshotName): "parquet" | "packed" {
  return (SNAPSHOTS[name] as SnapshotSpec).browser ?? "parquet";
}
