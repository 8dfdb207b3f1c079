import {DuckDBInstance} from "@duckdb/node-api";
import {createReadStream, existsSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pipeline} from "node:stream/promises";
import {resolveOptions, type PipelineOptions} from "../config.js";
import {identifier, literal} from "../db.js";
import {isSnapshotName, SNAPSHOT_NAMES, SNAPSHOTS, type SnapshotSpec} from "../schema/index.js";

/**
 * The browser's copy of a snapshot: a read-only DuckDB database file holding one table, packed from the
 * snapshot's Parquet file. DuckDB-WASM attaches it without decoding anything in JavaScript (its own
 * Parquet reader is an extension it would download), which measured fastest (bench/site-engines.ts).
 * The Parquet snapshot stays the contract; this file is derived from it byte for byte.
 */
export async function writePackedSnapshot(name: string, overrides: Partial<PipelineOptions> = {}): Promise<void> {
  if (!isSnapshotName(name)) {
    throw new Error(`unknown snapshot ${JSON.stringify(name)}; known snapshots: ${SNAPSHOT_NAMES.join(", ")}`);
  }
  const options = resolveOptions({progress: "silent", lockWaitMs: 10 * 60_000, ...overrides});
  const parquet = join(options.warehouseDir, "snapshots", `${name}.parquet`);
  if (!existsSync(parquet)) {
    const {runPipeline} = await import("../pipeline.js");
    await runPipeline(options);
  }
  const dir = mkdtempSync(join(tmpdir(), "retail-packed-"));
  try {
    const file = join(dir, `${name}.duckdb`);
    await packSnapshot(parquet, file, name);
    await pipeline(createReadStream(file), process.stdout);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** Writes `parquet` as table `table` of a new database file `target` (which must not exist). */
export async function packSnapshot(parquet: string, target: string, table: string): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:", {autoinstall_known_extensions: "false", threads: "2"});
  const connection = await instance.connect();
  try {
    // The oldest storage format that holds our types, so any DuckDB-WASM from 1.0 on can attach it.
    await connection.run(`ATTACH ${literal(target)} AS packed (STORAGE_VERSION 'v1.0.0')`);
    await connection.run(`CREATE TABLE packed.${identifier(table)} AS FROM read_parquet(${literal(parquet)})`);
    await connection.run(`DETACH packed`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The snapshot contract as JSON for the site (table and column descriptions for the SQL console). */
export function writeSchemaJson(): void {
  const tables = Object.entries(SNAPSHOTS as Record<string, SnapshotSpec>).map(([name, spec]) => ({
    name,
    layer: spec.layer,
    grain: spec.grain,
    description: spec.description,
    columns: Object.entries(spec.columns).map(([column, {type, description}]) => ({name: column, type, description}))
  }));
  process.stdout.write(JSON.stringify(tables));
}
