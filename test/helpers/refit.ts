import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {copyFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {literal} from "../../loaders/db.js";
import {readArtefact} from "../../loaders/run/artefacts.js";
import {sha256File} from "../../loaders/run/files.js";
import {readManifest} from "../../loaders/run/manifest.js";
import {SHIPPED_FILES, SHIPPED_RAW, type Workspace} from "./fixtures.js";

/** The pattern of refit.test.ts for one model stage: copy shipped days in, compare snapshots, read fits. */

export const addDays = (space: Workspace, ...days: string[]) => {
  for (const day of days) {
    const file = SHIPPED_FILES.find((name) => name.startsWith(day))!;
    copyFileSync(join(SHIPPED_RAW, "online-retail", file), join(space.raw, file));
  }
};

/** Every snapshot's sha256 (the run log excepted). */
export const snapshotHashes = (space: Workspace) =>
  Object.fromEntries(
    readdirSync(join(space.warehouse, "snapshots"))
      .filter((file) => file !== "pipeline_runs.parquet")
      .sort()
      .map((file) => [file, sha256File(join(space.warehouse, "snapshots", file))])
  );

/**
 * A digest of each packed copy on the site, rows in stored order (what a range read meets): a patched copy and a
 * fresh pack of the same snapshot give the same digest.
 */
export async function packedDigests(space: Workspace): Promise<Record<string, string>> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const digests: Record<string, string> = {};
  try {
    const dir = join(space.site, "data", "packed");
    for (const file of readdirSync(dir).sort()) {
      const table = file.replace(/\.duckdb$/, "");
      await connection.run(`ATTACH ${literal(join(dir, file))} AS packed (READ_ONLY)`);
      const reader = await connection.runAndReadAll(
        `SELECT count(*) || ' rows ' || md5(string_agg(t::VARCHAR, '\n' ORDER BY rowid)) FROM packed.${table} AS t`
      );
      digests[table] = String(reader.getRows()[0]![0]);
      await connection.run("DETACH packed");
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return digests;
}

export const lastRunStage = (space: Workspace, name: string) => readManifest(space.warehouse).runs[0].stages.find((entry) => entry.name === name)!;

export const artefactRecords = (space: Workspace, stage: string) =>
  (readManifest(space.warehouse).stages[stage].artefacts ?? []).map((record) => `${record.model}@${record.fittedThrough}:${record.key}`);

/** The stored fit of `stage` (what `fit` returned: {artefact, metrics}). */
export function storedFit<T>(space: Workspace, stage: string): T {
  const [record] = readManifest(space.warehouse).stages[stage].artefacts!;
  return readArtefact<T>(space.warehouse, record.file);
}

/** A fresh DuckDB with the named snapshots (or internal tables) of a warehouse as tables. */
export async function warehouseTables(space: Workspace, snapshots: readonly string[], internal: readonly string[] = []): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  for (const [folder, names] of [
    ["snapshots", snapshots],
    ["internal", internal]
  ] as const) {
    for (const name of names) await connection.run(`CREATE TABLE ${name} AS FROM read_parquet(${literal(join(space.warehouse, folder, `${name}.parquet`))})`);
  }
  return connection;
}
