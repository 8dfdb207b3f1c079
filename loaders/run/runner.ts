import type {DuckDBInstance} from "@duckdb/node-api";
import {existsSync, statSync} from "node:fs";
import {join} from "node:path";
import type {PipelineOptions} from "../config.js";
import {identifier, literal, queryRow, queryRows} from "../db.js";
import {InterruptedError, PipelineError, StageBudgetError, StageFailedError} from "../errors.js";
import type {RawFile} from "../extract/discover.js";
import {SNAPSHOTS, isSnapshotName} from "../schema/index.js";
import {codeVersions} from "./code-version.js";
import {stagesAtOnce} from "./concurrency.js";
import {PARQUET_OPTIONS} from "./parquet.js";
import {sha256, sha256File, stableJson} from "./files.js";
import type {ColumnInfo, Manifest, StageRecord, StageRunRecord} from "./manifest.js";
import {formatCount, type Reporter} from "./progress.js";
import type {Stage} from "./stage.js";
import {describeModule, runInWorker, WorkerMemoryError} from "./worker.js";
import {artefactExists, artefactFile, artefactKey, readArtefact, writeArtefact, type ArtefactRecord} from "./artefacts.js";

/** A table a stage wrote in this run, waiting in the run folder to be published. */
export interface TableOutput {
  name: string;
  published: boolean;
  path: string;
  sha256: string;
  bytes: number;
  rows: number;
  columns: ColumnInfo[];
  stage: string;
  fingerprint: string;
  codeHash: string;
  inputs: {name: string; sha256: string}[];
}

export interface RunState {
  /** One record per stage, in graph order, filled in as stages finish. */
  stageRuns: StageRunRecord[];
  /** Tables written by stages that ran. */
  outputs: TableOutput[];
  /** New manifest records of the stages that ran. */
  stageRecords: Record<string, StageRecord>;
}

export interface RunnerSettings {
  stages: readonly Stage[];
  options: PipelineOptions;
  /** Opens (once) the run's DuckDB; a run in which every stage is skipped never opens it. */
  database: () => Promise<DuckDBInstance>;
  files: readonly RawFile[];
  previous: Manifest;
  runId: string;
  runDir: string;
  reporter: Reporter;
  /** Stops the run before its next stage starts (stages already running finish); the run then fails. */
  signal?: AbortSignal;
  /** Called with each table as soon as its stage has written it to the run folder (while later stages run). */
  onOutput?: (output: TableOutput) => void;
}

/** Where a published table or an internal one lives, relative to the warehouse folder. */
export function tableFile(name: string): string {
  return isSnapshotName(name) ? `snapshots/${name}.parquet` : `internal/${name}.parquet`;
}

/** Checks that the graph is well formed and returns its stages in a dependency order. */
export function orderStages(stages: readonly Stage[]): Stage[] {
  const producer = new Map<string, Stage>();
  for (const stage of stages) {
    for (const output of stage.outputs) {
      const other = producer.get(output);
      if (other) throw new Error(`table ${output} is produced by both ${other.name} and ${stage.name}`);
      producer.set(output, stage);
    }
  }
  const ordered: Stage[] = [];
  const state = new Map<Stage, "visiting" | "done">();
  const visit = (stage: Stage, path: string[]) => {
    if (state.get(stage) === "done") return;
    if (state.get(stage) === "visiting") throw new Error(`the stage graph has a cycle: ${[...path, stage.name].join(" → ")}`);
    state.set(stage, "visiting");
    for (const input of stage.inputs) {
      const upstream = producer.get(input);
      if (!upstream) throw new Error(`stage ${stage.name} reads ${input}, which no stage produces`);
      visit(upstream, [...path, stage.name]);
    }
    state.set(stage, "done");
    ordered.push(stage);
  };
  for (const stage of stages) visit(stage, []);
  return ordered;
}

/** The stages each stage waits for. */
export function dependencies(stages: readonly Stage[]): Map<Stage, Stage[]> {
  const producer = new Map(stages.flatMap((stage) => stage.outputs.map((output) => [output, stage] as const)));
  return new Map(stages.map((stage) => [stage, [...new Set(stage.inputs.map((input) => producer.get(input)!))]]));
}

/**
 * Runs the stages in dependency order, independent ones concurrently (at most `stagesAtOnce` at a time,
 * see concurrency.ts). A stage whose fingerprint equals the one recorded in the manifest, and whose
 * outputs exist, is skipped. `state` is filled in as the run goes, so a caller still has the record of a
 * run that threw.
 */
export async function runStages(settings: RunnerSettings, state: RunState): Promise<void> {
  const {stages, options, database, files, previous, runId, runDir, reporter} = settings;
  const ordered = orderStages(stages);
  const waitsFor = dependencies(ordered);
  const versions = await codeVersions(ordered.map((stage) => stage.module));
  /** Content hash of every table known so far, and whether it is already a table in the run's DuckDB. */
  const tables = new Map<string, {sha256: string; inDatabase: boolean; path: string; rows: number}>();
  const views = new Map<string, Promise<void>>();
  const records = new Map<Stage, StageRunRecord>(
    ordered.map((stage) => [stage, {name: stage.name, status: "not run", reason: "", durationMs: 0, cpuMs: null, rowsIn: null, rowsOut: null, detail: null}])
  );
  state.stageRuns = [...records.values()];

  const ensureReadable = (name: string) => {
    if (tables.get(name)?.inDatabase) return Promise.resolve();
    let pending = views.get(name);
    if (!pending) {
      const file = tables.get(name)!.path;
      pending = database()
        .then((instance) => instance.connect())
        .then((connection) =>
          connection.run(`CREATE OR REPLACE VIEW ${identifier(name)} AS FROM read_parquet(${literal(file)})`).finally(() => connection.closeSync())
        )
        .then(() => undefined);
      views.set(name, pending);
    }
    return pending;
  };

  const execute = async (stage: Stage) => {
    const record = records.get(stage)!;
    const code = versions.get(stage.module)!;
    const inputs = stage.inputs.map((name) => ({name, sha256: tables.get(name)!.sha256}));
    const fingerprint = sha256(
      stableJson({
        stage: stage.name,
        code,
        inputs,
        options: stage.options?.(options) ?? null,
        extra: stage.fingerprintExtra?.({options, files}) ?? null
      })
    );
    const last = previous.stages[stage.name];
    const outputsExist = stage.outputs.every((name) => previous.tables[name] && existsSync(join(options.warehouseDir, previous.tables[name].file)));
    const refitNow = options.forceRefit && (last?.artefacts?.length ?? 0) > 0;
    if (!options.force && !refitNow && last?.fingerprint === fingerprint && outputsExist) {
      for (const name of stage.outputs) {
        const known = previous.tables[name];
        tables.set(name, {sha256: known.sha256, inDatabase: false, path: join(options.warehouseDir, known.file), rows: known.rows});
      }
      Object.assign(record, {status: "skipped", reason: "inputs, code and options unchanged"});
      reporter.stageSkipped(stage.name, record.reason);
      return;
    }
    record.reason = whyRun(last, fingerprint, code, outputsExist, options.force, refitNow);
    record.status = "failed";
    reporter.stageStarted(stage.name, record.reason);
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const cpuMs = () => {
      const used = process.cpuUsage(cpuStarted);
      return Math.round((used.user + used.system) / 1000);
    };
    await Promise.all(stage.inputs.map(ensureReadable));
    const instance = await database();
    const connection = await instance.connect();
    const budget = new AbortController();
    let doing = "starting";
    const timeoutSeconds = options.stageTimeoutSeconds;
    const timer = setTimeout(() => {
      budget.abort(
        new StageBudgetError(
          `stage ${stage.name} was stopped after its time budget of ${formatSeconds(timeoutSeconds)} while ${doing}; ` +
            `the previous snapshots are unchanged. If the data is this large, raise stageTimeoutSeconds in retail.config.json (or --stage-timeout SECONDS).`
        )
      );
      connection.interrupt();
    }, timeoutSeconds * 1000);
    const stopped = new Promise<never>((_, reject) => budget.signal.addEventListener("abort", () => reject(budget.signal.reason), {once: true}));
    stopped.catch(() => undefined);
    const runModel = async <T>(module: string | URL, name: string, ...args: unknown[]): Promise<T> => {
      const call = `${name} (${describeModule(module)})`;
      doing = `running ${call}`;
      try {
        return await runInWorker<T>({module, name, args, memoryMb: options.stageMemoryMB, signal: budget.signal});
      } catch (error) {
        if (error instanceof WorkerMemoryError) {
          throw new StageBudgetError(
            `stage ${stage.name} was stopped: ${call} needed more than its memory budget of ${options.stageMemoryMB} MB; ` +
              `the previous snapshots are unchanged. Raise stageMemoryMB in retail.config.json (or --stage-memory MB), or give it less data.`
          );
        }
        throw error;
      } finally {
        doing = `finishing after ${call}`;
      }
    };
    const artefacts: ArtefactRecord[] = [];
    const fitted = async <T>(model: string, input: unknown, fittedThrough: string, fit: () => Promise<T>) => {
      const key = artefactKey(stage.name, model, code, stage.options?.(options) ?? null, input);
      const file = artefactFile(model, key);
      const known = [...(last?.artefacts ?? []), ...artefacts].find((record) => record.file === file);
      let artefact: T;
      let record: ArtefactRecord;
      let reused = false;
      if (!options.forceRefit && known && artefactExists(options.warehouseDir, file)) {
        doing = `loading the ${model} fit through ${fittedThrough}`;
        artefact = readArtefact<T>(options.warehouseDir, file);
        record = known;
        reused = true;
      } else {
        doing = `fitting ${model} on data through ${fittedThrough}`;
        artefact = await fit();
        const bytes = writeArtefact(options.warehouseDir, file, artefact);
        record = {model, key, file, bytes, fittedThrough, fittedInRun: runId};
      }
      artefacts.push(record);
      return {artefact, reused, record};
    };
    try {
      const result = await Promise.race([
        stopped,
        stage.run({
          options,
          files,
          runId,
          codeVersion: code,
          connection,
          instance,
          previous,
          previousState: last?.state,
          runDir,
          outputPath: (name) => join(runDir, `${name}.parquet`),
          inputPath: (name) => {
            if (!stage.inputs.includes(name)) throw new Error(`stage ${stage.name} asked for ${name}, which is not one of its inputs`);
            return tables.get(name)!.path;
          },
          progress: (update) => {
            if (update.detail) doing = update.detail;
            reporter.stageProgress(stage.name, update);
          },
          runModel,
          fitted
        })
      ]);
      doing = "writing its outputs";
      const kinds = await outputKinds(connection, stage.outputs);
      for (const name of stage.outputs) {
        const output = {
          ...(await exportTable(connection, name, join(runDir, `${name}.parquet`), kinds.get(name))),
          stage: stage.name,
          fingerprint,
          codeHash: code,
          inputs
        };
        state.outputs.push(output);
        settings.onOutput?.(output);
        tables.set(name, {sha256: output.sha256, inDatabase: true, path: output.path, rows: output.rows});
      }
      await result.cleanup?.();
      const durationMs = performance.now() - started;
      Object.assign(record, {
        status: "ran",
        durationMs,
        cpuMs: cpuMs(),
        rowsIn: result.rowsIn ?? null,
        rowsOut: result.rowsOut ?? null,
        detail: result.detail ?? null
      });
      state.stageRecords[stage.name] = {
        fingerprint,
        codeHash: code,
        runId,
        finishedAt: new Date().toISOString(),
        durationMs,
        outputs: [...stage.outputs],
        state: result.state ?? null,
        ...(artefacts.length ? {artefacts} : {})
      };
      reporter.stageFinished(stage.name, {durationMs, rowsOut: result.rowsOut, detail: result.detail});
    } catch (error) {
      record.durationMs = performance.now() - started;
      record.cpuMs = cpuMs();
      const cause = budget.signal.aborted ? budget.signal.reason : error;
      const failure = cause instanceof PipelineError ? cause : new StageFailedError(stage.name, cause, options);
      record.detail = (cause instanceof Error ? cause.message : String(cause)).split("\n")[0];
      throw failure;
    } finally {
      clearTimeout(timer);
      connection.closeSync();
    }
  };

  const done = new Set<Stage>();
  const running = new Map<Stage, Promise<Stage>>();
  let failure: unknown;
  let notedLimit = Infinity;
  while (done.size < ordered.length) {
    const largest = [...tables].reduce<[string, {rows: number}]>((most, entry) => (entry[1].rows > most[1].rows ? entry : most), ["", {rows: 0}]);
    const limit = stagesAtOnce(options.stagesAtOnce, {memoryLimit: options.memoryLimit, rows: largest[1].rows});
    if (failure === undefined && settings.signal?.aborted) {
      const left = ordered.filter((stage) => !done.has(stage) && !running.has(stage)).map((stage) => stage.name);
      failure = new InterruptedError(`stopped (interrupted) before ${left.join(", ")}; nothing was published, the previous snapshots are unchanged`);
    }
    if (failure === undefined) {
      for (const stage of ordered) {
        if (done.has(stage) || running.has(stage)) continue;
        if (!waitsFor.get(stage)!.every((upstream) => done.has(upstream))) continue;
        if (running.size >= limit) {
          // A stage ready to run waits for the limit: say why, once per limit, when the rule chose it.
          if (options.stagesAtOnce === "auto" && limit < notedLimit) {
            notedLimit = limit;
            reporter.note(
              `at most ${limit === 1 ? "one stage" : `${limit} stages`} at a time: ${largest[0]} has ${formatCount(largest[1].rows)} rows and the ` +
                `stages share a ${options.memoryLimit} memory limit (stagesAtOnce: auto; --stages-at-once N or a larger --memory-limit changes it)`
            );
          }
          break;
        }
        running.set(
          stage,
          execute(stage).then(
            () => stage,
            (error) => {
              failure ??= error;
              return stage;
            }
          )
        );
      }
    }
    if (running.size === 0) break;
    const finished = await Promise.race(running.values());
    running.delete(finished);
    done.add(finished);
  }
  if (failure !== undefined) throw failure;
}

function whyRun(last: StageRecord | undefined, fingerprint: string, code: string, outputsExist: boolean, force: boolean, refit = false): string {
  if (force) return "forced";
  if (refit) return "refit requested";
  if (!last) return "first run";
  if (!outputsExist) return "outputs missing";
  if (last.codeHash !== code) return "code changed";
  if (last.fingerprint !== fingerprint) return "inputs or options changed";
  return "re-run";
}

/** Which of `names` the stage left as a table or a view (one query for all of a stage's outputs). */
async function outputKinds(connection: import("@duckdb/node-api").DuckDBConnection, names: readonly string[]): Promise<Map<string, "table" | "view">> {
  const listed = `${literal(JSON.stringify(names))}::VARCHAR[]`;
  const rows = await queryRows<{name: string; kind: "table" | "view"}>(
    connection,
    `SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE NOT temporary AND list_contains(${listed}, table_name)
     UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE NOT temporary AND list_contains(${listed}, view_name)`
  );
  return new Map(rows.map(({name, kind}) => [name, kind]));
}

/**
 * Makes sure output `name` is in the run folder as Parquet (writing the stage's table or view, `kind`,
 * unless the stage wrote the file itself), checks a published table against its documented schema, and
 * points later stages at the file through a view, unless it is already a table in memory. At most three
 * statements: a round trip costs a few ms, and a run exports about forty outputs.
 */
async function exportTable(connection: import("@duckdb/node-api").DuckDBConnection, name: string, path: string, kind: "table" | "view" | undefined) {
  let rows: number | null = null;
  if (!existsSync(path)) {
    if (!kind) throw new Error(`stage output ${name} was neither written to ${path} nor created as a table or view`);
    rows = (await queryRow<{Count: number}>(connection, `COPY (FROM ${identifier(name)}) TO ${literal(path)} (${PARQUET_OPTIONS})`)).Count;
  }
  if (kind !== "table") {
    await connection.run(`${kind ? "CREATE OR REPLACE VIEW" : "CREATE VIEW"} ${identifier(name)} AS FROM read_parquet(${literal(path)})`);
  }
  const described = await queryRows<{column_name: string; column_type: string; rows: number | null}>(
    connection,
    `SELECT column_name, column_type, ${rows === null ? `(SELECT sum(num_rows)::BIGINT FROM parquet_file_metadata(${literal(path)}))` : "NULL::BIGINT"} AS rows
     FROM (DESCRIBE ${identifier(name)})`
  );
  const columns = described.map((column) => ({name: column.column_name, type: column.column_type}));
  const published = isSnapshotName(name);
  if (published) checkSchema(name, columns);
  return {name, published, path, sha256: sha256File(path), bytes: statSync(path).size, rows: rows ?? described[0]?.rows ?? 0, columns};
}

function checkSchema(name: keyof typeof SNAPSHOTS, columns: ColumnInfo[]): void {
  const documented = Object.entries(SNAPSHOTS[name].columns).map(([column, spec]) => `${column} ${spec.type}`);
  const actual = columns.map((column) => `${column.name} ${column.type}`);
  if (documented.join(", ") !== actual.join(", ")) {
    const missing = documented.filter((column) => !actual.includes(column));
    const extra = actual.filter((column) => !documented.includes(column));
    throw new Error(
      `snapshot ${name} does not match its documented schema (loaders/schema): ` +
        `${missing.length ? `documented but not produced: ${missing.join(", ")}; ` : ""}` +
        `${extra.length ? `produced but not documented: ${extra.join(", ")}; ` : ""}` +
        `(order matters) produced: ${actual.join(", ")}`
    );
  }
}

function formatSeconds(seconds: number): string {
  return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
}
