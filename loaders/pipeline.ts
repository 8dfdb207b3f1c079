import type {DuckDBInstance} from "@duckdb/node-api";
import {existsSync, mkdirSync, readdirSync, rmSync} from "node:fs";
import {join} from "node:path";
import {resolveOptions, type PipelineOptions} from "./config.js";
import {openDatabase} from "./db.js";
import {checkPatterns} from "./patterns.js";
import {discoverFiles, type RawFile} from "./extract/discover.js";
import {removeQuietly, replaceFile, sha256File, stableJson, sha256} from "./run/files.js";
import {gitCommit} from "./run/git.js";
import {pruneArtefacts} from "./run/artefacts.js";
import {acquireLock} from "./run/lock.js";
import {
  MAX_RUNS_KEPT,
  readManifest,
  withoutOrphanTables,
  writeManifest,
  type Manifest,
  type ManifestFile,
  type RunRecord,
  type TableRecord
} from "./run/manifest.js";
import {createReporter, type Reporter} from "./run/progress.js";
import {runStages, tableFile, type RunState, type TableOutput} from "./run/runner.js";
import {InterruptedError} from "./errors.js";
import type {Stage} from "./run/stage.js";
import {writeRunsTable} from "./run/runs-table.js";
import type {IngestState} from "./stages/ingest.js";
import {STAGES} from "./stages/index.js";
import {publishSite, type PublishedSite, type PublishSettings as SitePublishSettings} from "./site/publish.js";
import {EarlyPacker} from "./site/early-pack.js";
import type {PatchLimits} from "./site/patch-packed.js";

export interface RunSummary {
  run: RunRecord;
  /** True when every stage was skipped: nothing was written. */
  upToDate: boolean;
  manifest: Manifest;
  /** Published snapshots whose content changed, with their records. */
  changed: TableRecord[];
  /** What the run wrote to the site's data folder. */
  site: PublishedSite;
  /**
   * The whole call, in ms: the run record's duration (in the manifest, which is itself published) ends
   * before the run history, the manifest and the site's copy are written.
   */
  elapsedMs: number;
}

export interface RunSettings {
  reporter?: Reporter;
  /** The graph to run; by default the whole pipeline. */
  stages?: readonly Stage[];
  /** Stops the run before its next stage (Ctrl-C): it then fails with InterruptedError, publishing nothing. */
  signal?: AbortSignal;
  /** When the site's packed copies are patched rather than packed afresh (loaders/site/patch-packed.ts); default its constants. */
  patchLimits?: PatchLimits;
}

/**
 * Runs the pipeline once: takes the warehouse lock, finds the input files, runs every stage whose inputs,
 * code or options changed, and publishes the new tables atomically. A failed run publishes nothing and
 * leaves the previous snapshots as they were; it is recorded in the manifest's run history.
 */
export async function runPipeline(overrides: Partial<PipelineOptions> = {}, settings: RunSettings = {}): Promise<RunSummary> {
  const called = performance.now();
  const options = resolveOptions(overrides);
  const reporter = settings.reporter ?? (await createReporter(options.progress));
  const stages = settings.stages ?? STAGES;
  mkdirSync(options.warehouseDir, {recursive: true});
  await checkPatterns(options);
  const lock = await acquireLock(options.warehouseDir, {waitMs: options.lockWaitMs});
  const started = new Date();
  const runId = `${started
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.(\d+)Z$/, "-$1Z")}-${process.pid}`;
  const runDir = join(options.warehouseDir, `.run-${runId}`);
  const commit = gitCommit(options.root);
  let instance: DuckDBInstance | undefined;
  let opening: Promise<DuckDBInstance> | undefined;
  const database = () =>
    (opening ??= (async () => {
      mkdirSync(join(options.warehouseDir, "tmp"), {recursive: true});
      instance = await openDatabase({threads: options.threads, memoryLimit: options.memoryLimit, tempDirectory: join(options.warehouseDir, "tmp")});
      return instance;
    })());
  const state: RunState = {stageRuns: [], outputs: [], stageRecords: {}};
  let previous: Manifest | undefined;
  let files: RawFile[] = [];
  const packer = new EarlyPacker(options.siteRoot, database, {patchLimits: settings.patchLimits});
  try {
    removeLeftovers(options.warehouseDir);
    mkdirSync(runDir, {recursive: true});
    const produced = new Set([...stages.flatMap((stage) => stage.outputs), RUNS_TABLE]);
    previous = withoutOrphanTables(options.warehouseDir, readManifest(options.warehouseDir), produced);
    files = await discoverFiles(options.rawDir, previous.files);
    reporter.runStarted({runId, files: files.length, stages: stages.map((stage) => stage.name)});
    const onOutput = (output: TableOutput) => packer.offer(output.name, output.sha256, output.path);
    await runStages({stages, options, database, files, previous, runId, runDir, reporter, signal: settings.signal, onOutput}, state);
    // Before publish moves the run's files: the packer may still be reading them.
    const early = await packer.ready();
    reporter.runFinished();

    const fileRecords = describeFiles(files);
    if (state.outputs.length === 0) {
      const manifest = {...previous, files: fileRecords};
      if (stableJson(previous.files) !== stableJson(fileRecords)) writeManifest(options.warehouseDir, manifest);
      const site = await publishSite(options.siteRoot, options.warehouseDir, manifest, {database, patchLimits: settings.patchLimits});
      const run = runRecord({runId, started, status: "succeeded", error: null, commit, files, previous, state});
      return {run, upToDate: true, manifest, changed: [], site, elapsedMs: performance.now() - called};
    }
    return {
      ...(await publish(
        {options, runId, runDir, started, commit, files, fileRecords, previous, state, database},
        {early, earlyFailures: packer.failed(), patchLimits: settings.patchLimits}
      )),
      elapsedMs: performance.now() - called
    };
  } catch (error) {
    reporter.runFinished();
    await packer.discard();
    if (previous) {
      const run = runRecord({runId, started, status: "failed", error: (error as Error).message, commit, files, previous, state});
      const manifest = {...previous, updatedAt: new Date().toISOString(), runs: [run, ...previous.runs].slice(0, MAX_RUNS_KEPT)};
      writeManifest(options.warehouseDir, manifest);
      // The site keeps its snapshots; its manifest shows the failed run (the Pipeline page lists runs) and
      // its banner the reason. A run stopped by Ctrl-C is no news to the one who pressed it. Not on the run's
      // DuckDB: that instance may be why the run failed (out of memory).
      if (!(error instanceof InterruptedError))
        await publishSite(options.siteRoot, options.warehouseDir, manifest, {status: {ok: false, error: (error as Error).message}}).catch(() => undefined);
    }
    throw error;
  } finally {
    instance?.closeSync();
    removeQuietly(runDir);
    lock.release();
  }
}

/** The run history, a snapshot the runner itself writes (no stage does). */
const RUNS_TABLE = "pipeline_runs";

interface PublishSettings {
  options: PipelineOptions;
  runId: string;
  runDir: string;
  started: Date;
  commit: string | null;
  files: RawFile[];
  fileRecords: ManifestFile[];
  previous: Manifest;
  state: RunState;
  database: () => Promise<DuckDBInstance>;
}

/** Moves the run's tables into place (only those whose bytes changed), then writes the manifest. */
async function publish(
  {options, runId, runDir, started, commit, files, fileRecords, previous, state, database}: PublishSettings,
  packing: Pick<SitePublishSettings, "early" | "earlyFailures" | "patchLimits">
): Promise<Omit<RunSummary, "elapsedMs">> {
  const tables: Record<string, TableRecord> = {...previous.tables};
  const changed: string[] = [];
  const sourceFiles = sha256(stableJson(files.map((file) => [file.path, file.sha256])));
  for (const dir of ["snapshots", "internal"]) mkdirSync(join(options.warehouseDir, dir), {recursive: true});
  for (const output of state.outputs) {
    const file = tableFile(output.name);
    const target = join(options.warehouseDir, file);
    const old = previous.tables[output.name];
    const same = old?.sha256 === output.sha256 && existsSync(target);
    if (same) rmSync(output.path, {force: true});
    else {
      replaceFile(output.path, target);
      changed.push(output.name);
    }
    tables[output.name] = {
      name: output.name,
      file,
      published: output.published,
      sha256: output.sha256,
      bytes: output.bytes,
      rows: output.rows,
      columns: output.columns,
      stage: output.stage,
      fingerprint: output.fingerprint,
      codeHash: output.codeHash,
      gitCommit: same ? old.gitCommit : commit,
      runId: same ? old.runId : runId,
      inputs: output.inputs,
      sourceFiles
    };
  }
  const stagesRecord = {...previous.stages, ...state.stageRecords};
  const run = runRecord({runId, started, status: "succeeded", error: null, commit, files, previous, state, changed});
  const manifest: Manifest = {
    ...previous,
    updatedAt: new Date().toISOString(),
    files: fileRecords,
    stages: stagesRecord,
    tables,
    runs: [run, ...previous.runs].slice(0, MAX_RUNS_KEPT)
  };
  // The run history is itself a snapshot, so the SQL console can query it.
  const runsFile = join(runDir, `${RUNS_TABLE}.parquet`);
  const runsTable = await writeRunsTable(await database(), manifest.runs, runsFile);
  replaceFile(runsFile, join(options.warehouseDir, tableFile(RUNS_TABLE)));
  manifest.tables[RUNS_TABLE] = {
    name: RUNS_TABLE,
    file: tableFile(RUNS_TABLE),
    published: true,
    sha256: sha256File(join(options.warehouseDir, tableFile(RUNS_TABLE))),
    bytes: runsTable.bytes,
    rows: runsTable.rows,
    columns: runsTable.columns,
    stage: "pipeline",
    fingerprint: runId,
    codeHash: "",
    gitCommit: commit,
    runId,
    inputs: [],
    sourceFiles
  };
  writeManifest(options.warehouseDir, manifest);
  pruneArtefacts(
    options.warehouseDir,
    Object.values(stagesRecord).flatMap((record) => record.artefacts ?? [])
  );
  const published = changed.filter((name) => tables[name].published);
  const site = await publishSite(options.siteRoot, options.warehouseDir, manifest, {...packing, database});
  return {run, upToDate: false, manifest, changed: published.map((name) => tables[name]), site};
}

function describeFiles(files: readonly RawFile[]): ManifestFile[] {
  const first = new Map<string, string>();
  return files.map((file) => {
    const original = first.get(file.sha256);
    if (!original) first.set(file.sha256, file.path);
    return {path: file.path, sha256: file.sha256, bytes: file.bytes, mtimeMs: file.mtimeMs, duplicateOf: original ?? null};
  });
}

function runRecord(settings: {
  runId: string;
  started: Date;
  status: RunRecord["status"];
  error: string | null;
  commit: string | null;
  files: readonly RawFile[];
  previous: Manifest;
  state: RunState;
  changed?: string[];
}): RunRecord {
  const {runId, started, status, error, commit, files, previous, state, changed = []} = settings;
  const before = new Map(previous.files.map((file) => [file.path, file.sha256]));
  const now = new Set(files.map((file) => file.path));
  const distinct = new Set(files.map((file) => file.sha256));
  const ingest = (state.stageRecords.ingest?.state ?? previous.stages.ingest?.state) as IngestState | undefined;
  const known = ingest?.files ?? {};
  const ingested = Object.values(known).filter((file) => file.runId === runId);
  const current = [...distinct].map((sha) => known[sha]).filter(Boolean);
  const finished = new Date();
  return {
    runId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    status,
    durationMs: finished.getTime() - started.getTime(),
    error,
    gitCommit: commit,
    files: {
      total: files.length,
      added: files.filter((file) => !before.has(file.path)).length,
      changed: files.filter((file) => before.has(file.path) && before.get(file.path) !== file.sha256).length,
      removed: [...before.keys()].filter((path) => !now.has(path)).length,
      duplicates: files.length - distinct.size,
      ingested: ingested.length
    },
    rows: {
      read: current.reduce((sum, file) => sum + file.records, 0),
      parsed: current.reduce((sum, file) => sum + file.rows, 0),
      quarantined: current.reduce((sum, file) => sum + file.quarantined, 0)
    },
    changed,
    stages: state.stageRuns
  };
}

/** Removes what killed runs left behind: their scratch folders and half-written temp files. */
function removeLeftovers(warehouseDir: string): void {
  for (const name of readdirSync(warehouseDir)) {
    if (name.startsWith(".run-")) removeQuietly(join(warehouseDir, name));
  }
  for (const dir of ["snapshots", "internal", "."]) {
    const path = join(warehouseDir, dir);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path)) if (name.endsWith(".tmp")) removeQuietly(join(path, name));
  }
}
