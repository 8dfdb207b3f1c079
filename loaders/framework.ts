import {createReadStream, existsSync, rmSync} from "node:fs";
import {join} from "node:path";
import {pipeline} from "node:stream/promises";
import {resolveOptions, type PipelineOptions} from "./config.js";
import {readManifest} from "./run/manifest.js";
import {isSnapshotName, SNAPSHOT_NAMES} from "./schema/index.js";

/**
 * The bridge to Observable Framework. Framework only re-runs a data loader when the loader file is newer
 * than its cached output, so after a run the pipeline deletes the cached copy of every snapshot it
 * changed; and the thin loaders in `src/data/` stream snapshots from the warehouse.
 */

/** Files in Framework's cache that depend on the manifest (or the schema code) rather than on one snapshot. */
const MANIFEST_LOADERS = ["data/manifest.json", "data/schema.json"];

/** The cached files made from one snapshot: the Parquet file and the site's packed DuckDB copy of it. */
const snapshotLoaderOutputs = (name: string) => [`data/${name}.parquet`, `data/packed/${name}.duckdb`];

export function invalidateFrameworkCache(siteRoot: string, changedSnapshots: readonly string[]): string[] {
  const cacheDir = join(siteRoot, ".observablehq", "cache");
  const removed: string[] = [];
  for (const path of [...changedSnapshots.flatMap(snapshotLoaderOutputs), ...MANIFEST_LOADERS]) {
    const file = join(cacheDir, path);
    if (existsSync(file)) {
      rmSync(file, {force: true});
      removed.push(path);
    }
  }
  return removed;
}

/**
 * Writes one snapshot's Parquet bytes to stdout, for a Framework data loader. If the warehouse has never
 * been built (a fresh clone running `observable build` directly), the pipeline runs first.
 */
export async function writeSnapshot(name: string, overrides: Partial<PipelineOptions> = {}): Promise<void> {
  if (!isSnapshotName(name)) {
    throw new Error(`unknown snapshot ${JSON.stringify(name)}; known snapshots: ${SNAPSHOT_NAMES.join(", ")}`);
  }
  const options = resolveOptions({progress: "silent", lockWaitMs: 10 * 60_000, ...overrides});
  const path = join(options.warehouseDir, "snapshots", `${name}.parquet`);
  if (!existsSync(path)) {
    const {runPipeline} = await import("./pipeline.js");
    await runPipeline(options);
  }
  await pipeline(createReadStream(path), process.stdout);
}

/** Writes the manifest as JSON to stdout, for the `data/manifest.json` loader. */
export async function writeManifestJson(overrides: Partial<PipelineOptions> = {}): Promise<void> {
  const options = resolveOptions({progress: "silent", lockWaitMs: 10 * 60_000, ...overrides});
  if (!existsSync(join(options.warehouseDir, "manifest.json"))) {
    const {runPipeline} = await import("./pipeline.js");
    await runPipeline(options);
  }
  process.stdout.write(JSON.stringify(readManifest(options.warehouseDir)));
}
