import type {DuckDBInstance} from "@duckdb/node-api";
import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {availableParallelism} from "node:os";
import {dirname, join} from "node:path";
import {duckdbApi, queryRow} from "../db.js";
import {writeFileAtomic} from "../run/files.js";
import type {Manifest} from "../run/manifest.js";
import {browserForm, isSnapshotName} from "../schema/index.js";
import type {EarlyPack} from "./early-pack.js";
import {schemaJson} from "./packed.js";
import {packOrPatch, type PackedStats, type PackResult, type PatchLimits} from "./patch-packed.js";

/**
 * The site's copy of the warehouse: after every run the pipeline writes, under `<siteRoot>/data/`, each
 * published snapshot in the one form the browser reads (`browserForm`: `data/<name>.parquet`, or the
 * packed `data/packed/<name>.duckdb`), with `data/manifest.json`, `data/schema.json` and
 * `data/pipeline-status.json` (whether the last run failed, and why: the preview's banner). Framework serves
 * them as static files — no data loader, no process per file — copies them into dist/ when it builds,
 * and its preview reloads an open page when one of them changes. Only what changed is rewritten (by the
 * snapshot's content hash, recorded in `data/.published.json`), each file atomically.
 */
export interface PublishedSite {
  /** Site paths written this time (e.g. `data/packed/sales.duckdb`), in order. */
  written: string[];
  /** How long publishing took, in ms (packing the changed line tables is most of it). */
  ms: number;
  /** Snapshots packed while publishing, in order: changed line tables the run did not pack beside its stages. */
  packedAtPublish: string[];
  /** Of those, the ones whose pack beside the stages failed, with the error (EarlyPacker). */
  earlyPackFailures: {name: string; error: string}[];
  /** Packed copies written this time by patching the previous one (patch-packed.ts), with the rows each patch changed. */
  patched: ({name: string} & NonNullable<PackResult["patched"]>)[];
}

/** The outcome of the latest run, for the site's banner: no timestamps, so an unchanged outcome rewrites nothing. */
export type RunStatus = {ok: true} | {ok: false; error: string};

export interface PublishedRecord {
  sha256: string;
  path: string;
  /** For a packed copy: its rows and the bytes per row of the fresh pack it descends from (patch-packed.ts). */
  packed?: PackedStats;
}

const RECORD_FILE = ".published.json";
/** The last run's outcome, for the site's failure banner (src/components/pipeline-status.ts reads it). */
const STATUS_PATH = "data/pipeline-status.json";

/** Where a snapshot's browser copy lives under the site root. */
export function sitePath(name: string): string {
  return isSnapshotName(name) && browserForm(name) === "packed" ? `data/packed/${name}.duckdb` : `data/${name}.parquet`;
}

/** Whether the site already serves snapshot `name` with content `sha256` (per its records) in its current form. */
export function servesContent(siteRoot: string, records: Record<string, PublishedRecord>, name: string, sha256: string): boolean {
  const record = records[name];
  return record?.sha256 === sha256 && record.path === sitePath(name) && existsSync(join(siteRoot, record.path));
}

/** The site's packed copy of snapshot `name`, to patch into the next one, if it serves one whose history it knows. */
export function packedBase(siteRoot: string, records: Record<string, PublishedRecord>, name: string): {file: string; stats: PackedStats} | undefined {
  const record = records[name];
  const file = join(siteRoot, sitePath(name));
  return record?.packed && record.path === sitePath(name) && existsSync(file) ? {file, stats: record.packed} : undefined;
}

/** Where a file is prepared before it is moved onto `target`: beside it, so the move is a rename on one file system. */
export function temporaryPath(target: string): string {
  return `${target}.${process.pid}.tmp`;
}

export interface PublishSettings {
  /** The run's outcome, for the site's banner; default `{ok: true}`. */
  status?: RunStatus;
  /** Line tables already packed during the run (EarlyPacker), by snapshot name; used when their content matches. */
  early?: ReadonlyMap<string, EarlyPack>;
  /** Why packing a line table during the run failed (EarlyPacker.failed), by snapshot name. */
  earlyFailures?: ReadonlyMap<string, string>;
  /**
   * The run's DuckDB, to pack line tables with under its memory limit and spill folder. Default: an instance
   * of packing's own, with DuckDB's default limit (80% of the machine's memory: packing `sales` at 100× the
   * data held 13–19 GB that way).
   */
  database?: () => Promise<DuckDBInstance>;
  /** When a packed copy is patched rather than packed afresh (patch-packed.ts); default its constants. */
  patchLimits?: PatchLimits;
}

export async function publishSite(
  siteRoot: string,
  warehouseDir: string,
  manifest: Manifest,
  {status = {ok: true}, early = new Map(), earlyFailures = new Map(), database, patchLimits}: PublishSettings = {}
): Promise<PublishedSite> {
  const started = performance.now();
  const dataDir = join(siteRoot, "data");
  mkdirSync(join(dataDir, "packed"), {recursive: true});
  const before = readRecords(dataDir);
  const after: Record<string, PublishedRecord> = {};
  const written: string[] = [];
  // Everything is prepared beside its target first, then moved into place in one quick pass: Framework's
  // preview re-renders an open page per burst of file events, so one burst means one refresh.
  const ready: {temporary: string; target: string}[] = [];
  const toPack: PackJob[] = [];
  const patched: PublishedSite["patched"] = [];
  const published = Object.values(manifest.tables)
    .filter((table) => table.published)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const table of published) {
    const path = sitePath(table.name);
    const target = join(siteRoot, path);
    if (servesContent(siteRoot, before, table.name, table.sha256)) {
      after[table.name] = before[table.name]!;
      continue;
    }
    after[table.name] = {sha256: table.sha256, path};
    const packed = early.get(table.name);
    if (path.endsWith(".duckdb") && packed?.sha256 === table.sha256) {
      ready.push({temporary: packed.temporary, target});
      after[table.name]!.packed = packed.result.stats;
      if (packed.result.patched) patched.push({name: table.name, ...packed.result.patched});
    } else {
      const parquet = join(warehouseDir, table.file);
      const temporary = temporaryPath(target);
      rmSync(temporary, {force: true});
      if (path.endsWith(".duckdb")) toPack.push({name: table.name, parquet, temporary, base: packedBase(siteRoot, before, table.name)});
      else copyFileSync(parquet, temporary);
      ready.push({temporary, target});
    }
    written.push(path);
  }
  if (toPack.length) {
    const results = await packAll(toPack, database, patchLimits);
    for (const [index, {name}] of toPack.entries()) {
      const result = results[index]!;
      after[name]!.packed = result.stats;
      if (result.patched) patched.push({name, ...result.patched});
    }
  }
  for (const [path, content] of [
    ["data/manifest.json", JSON.stringify(manifest)],
    ["data/schema.json", schemaJson()],
    [STATUS_PATH, JSON.stringify(status)]
  ] as const) {
    const target = join(siteRoot, path);
    if (sameContent(target, content)) continue;
    const temporary = temporaryPath(target);
    writeFileSync(temporary, content);
    ready.push({temporary, target});
    written.push(path);
  }
  for (const {temporary, target} of ready) renameSync(temporary, target);
  // Snapshots no longer published, files of a snapshot now shipped in another form, a crash's leftovers.
  removeStrays(siteRoot, new Set(Object.values(after).map((record) => record.path)));
  const records = JSON.stringify(after, null, 1);
  if (!sameContent(join(dataDir, RECORD_FILE), records)) writeFileAtomic(join(dataDir, RECORD_FILE), records);
  const packedAtPublish = toPack.map((file) => file.name);
  const earlyPackFailures = packedAtPublish.filter((name) => earlyFailures.has(name)).map((name) => ({name, error: earlyFailures.get(name)!}));
  return {written, ms: performance.now() - started, packedAtPublish, earlyPackFailures, patched: patched.sort((a, b) => (a.name < b.name ? -1 : 1))};
}

/**
 * Records a failure that happened before a run could start (a refused configuration) for the site's
 * banner; the next run that succeeds clears it.
 */
export function writeSiteStatus(siteRoot: string, status: RunStatus): void {
  const path = join(siteRoot, STATUS_PATH);
  const content = JSON.stringify(status);
  if (sameContent(path, content)) return;
  mkdirSync(dirname(path), {recursive: true});
  writeFileAtomic(path, content);
}

/** What the site's data folder holds, by snapshot name (empty for a new site). */
export function readRecords(dataDir: string): Record<string, PublishedRecord> {
  try {
    return JSON.parse(readFileSync(join(dataDir, RECORD_FILE), "utf8"));
  } catch {
    return {};
  }
}

/** Removes every Parquet, packed or temporary file under data/ that is not in `current`. */
function removeStrays(siteRoot: string, current: Set<string>): void {
  for (const dir of ["data", "data/packed"]) {
    for (const entry of readdirSync(join(siteRoot, dir), {withFileTypes: true})) {
      if (!entry.isFile() || !/\.(parquet|duckdb)$|\.tmp$/.test(entry.name)) continue;
      const path = `${dir}/${entry.name}`;
      if (!current.has(path)) rmSync(join(siteRoot, path), {force: true});
    }
  }
}

function sameContent(path: string, content: string): boolean {
  try {
    return readFileSync(path, "utf8") === content;
  } catch {
    return false; // not there yet
  }
}

/**
 * Packs each snapshot into its read-only database file, one at a time, on the run's instance (`database`) or,
 * without one, on an instance of its own. The stages are done, so packing may have every core the run left to
 * the main thread and the model workers (threads is one setting for the whole instance); it is put back as it
 * was afterwards. At 100× the data, `sales` packed in 81 s on 2 threads against 176 s on 1, under the same 2 GB.
 */
interface PackJob {
  name: string;
  parquet: string;
  temporary: string;
  base: {file: string; stats: PackedStats} | undefined;
}

async function packAll(files: readonly PackJob[], database?: () => Promise<DuckDBInstance>, patchLimits?: PatchLimits): Promise<PackResult[]> {
  // Loaded here, not at the top: a run with nothing to do never loads DuckDB's native library (~0.3 s).
  const own = database ? undefined : await (await duckdbApi()).DuckDBInstance.create(":memory:", {autoinstall_known_extensions: "false"});
  const instance = own ?? (await database!());
  const connection = await instance.connect();
  const {threads} = await queryRow<{threads: number}>(connection, "SELECT current_setting('threads') AS threads");
  try {
    await connection.run(`SET threads = ${Math.max(threads, availableParallelism())}`);
    const results: PackResult[] = [];
    for (const {name, parquet, temporary, base} of files)
      results.push(await packOrPatch(instance, {table: name, parquet, target: temporary, base}, patchLimits));
    return results;
  } finally {
    await connection.run(`SET threads = ${threads}`);
    connection.closeSync();
    own?.closeSync();
  }
}
