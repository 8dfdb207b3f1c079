#!/usr/bin/env node
import pc from "picocolors";
import {CONFIG_FILE, DEFAULT_OPTIONS, resolveOptions, type PipelineOptions} from "./config.js";
import {parseCommand, type Command} from "./flags.js";
import {PipelineError, UsageError} from "./errors.js";
import {runPipeline, type RunSummary} from "./pipeline.js";
import {formatCount, formatMs} from "./run/progress.js";
import {formatGraph} from "./run/graph.js";
import {BYTES_PER_ROW} from "./run/concurrency.js";
import {STAGES} from "./stages/index.js";
import {releaseHeldLocks} from "./run/lock.js";
import {watchRawFolder, type FolderChange} from "./run/watch.js";
import {writeSiteStatus} from "./site/publish.js";
import {join} from "node:path";
import type {IngestState} from "./stages/ingest.js";

const HELP = `Usage: npm run pipeline [-- options]

Builds the warehouse: reads every CSV file under the raw folder, and rebuilds only the snapshots whose
inputs, code or options changed. Snapshots are written to <warehouse>/snapshots/*.parquet.

Options (defaults in parentheses; any of them can also be set in ${CONFIG_FILE}, see retail.config.schema.json):
  --raw DIR                    input folder (${DEFAULT_OPTIONS.rawDir})
  --warehouse DIR              snapshot store (${DEFAULT_OPTIONS.warehouseDir})
  --site DIR                   Framework source root whose data/ gets the site's copy of the snapshots (${DEFAULT_OPTIONS.siteRoot})
  --max-quarantine-share N     largest share of a file's records that may fail to parse (${DEFAULT_OPTIONS.maxQuarantineShare})
  --engine NAME                where loading, cleaning and marts run: duckdb or clickhouse (${DEFAULT_OPTIONS.engine})
  --clickhouse-url URLS        clickhouse engine: HTTP address of one server per shard, comma-separated, in shard order
  --clickhouse-cluster NAME    clickhouse engine: the cluster's name in remote_servers (${DEFAULT_OPTIONS.clickhouseCluster})
  --clickhouse-database NAME   clickhouse engine: database for the pipeline's tables (${DEFAULT_OPTIONS.clickhouseDatabase})
                               credentials: environment variables CLICKHOUSE_USER and CLICKHOUSE_PASSWORD
  --threads N                  DuckDB threads (CPUs - 1, at least 1)
  --memory-limit SIZE          DuckDB memory limit before spilling to disk (${DEFAULT_OPTIONS.memoryLimit})
  --stages-at-once N|auto      most stages running side by side, sharing that limit (${DEFAULT_OPTIONS.stagesAtOnce}: as many as it
                               holds at ${BYTES_PER_ROW} bytes per raw line each, so one at a time on very large data)
  --progress MODE              auto, live, plain or silent (auto: live on a terminal)
  --force                      re-run every stage
  --wait SECONDS               wait this long for another run to finish instead of refusing (0)
  --skip-bad-files             record a file that cannot be read (or is over the quarantine share) as rejected
                               in input_files and go on without it, instead of failing the run (badFiles: ${DEFAULT_OPTIONS.badFiles})
  --stage-timeout SECONDS      time budget of each stage (${DEFAULT_OPTIONS.stageTimeoutSeconds})
  --stage-memory MB            JavaScript heap budget of each model stage's worker (${DEFAULT_OPTIONS.stageMemoryMB})
  --refit                      refit every model now, whatever the refit period (refit: ${DEFAULT_OPTIONS.refit})
  --graph                      print the stage graph (inputs, outputs, refit, description) and exit
  --watch                      run, then run again whenever input files are added, changed or removed (once
                               each is complete); Ctrl-C stops, finishing nothing half-way
  --poll SECONDS               with --watch: check the folder every SECONDS instead of waiting for change
                               events (network file systems, where they do not arrive)
  -h, --help                   show this help
`;

function printSummary({run, upToDate, changed, manifest, site, elapsedMs}: RunSummary): void {
  const out = (line = "") => process.stdout.write(line + "\n");
  if (upToDate) {
    out(`${pc.green("✓")} Everything is up to date (${formatCount(run.files.total)} input files unchanged) — ${formatMs(elapsedMs)}`);
    return;
  }
  const {files, rows} = run;
  out();
  out(pc.bold(`${pc.green("✓")} Pipeline finished in ${formatMs(elapsedMs)}`) + pc.dim(`  run ${run.runId}`));
  out(
    `  files      ${formatCount(files.total)} found: ${formatCount(files.ingested)} read this run, ${formatCount(files.added)} new, ` +
      `${formatCount(files.changed)} changed, ${formatCount(files.removed)} removed, ${formatCount(files.duplicates)} duplicate`
  );
  out(`  rows in    ${formatCount(rows.read)} records: ${formatCount(rows.parsed)} parsed, ${formatCount(rows.quarantined)} quarantined`);
  const rejected = Object.values((manifest.stages.ingest?.state as IngestState | undefined)?.rejected ?? {});
  if (rejected.length > 0) {
    out(
      pc.yellow(
        `  rejected   ${formatCount(rejected.length)} bad ${rejected.length === 1 ? "file" : "files"} skipped (badFiles: skip), none of ${rejected.length === 1 ? "its" : "their"} records used:`
      )
    );
    for (const file of rejected) out(pc.yellow(`             ${file.path}: ${file.reason}`));
  }
  const count = (name: string) => (manifest.tables[name] ? formatCount(manifest.tables[name].rows) : "–");
  out(
    `  rows out   sales ${count("sales")} · returns ${count("returns")} · excluded ${count("excluded_lines")} · orders ${count("orders")} · customers ${count("customer_metrics")}`
  );
  out(`  snapshots  ${changed.length} changed${changed.length ? ": " + changed.map((table) => table.name).join(", ") : ""}`);
  const atPublish = site.packedAtPublish.length ? ` (packed then: ${site.packedAtPublish.join(", ")})` : "";
  const patches = site.patched.map(({name, inserted, updated, deleted}) => {
    const changes = [inserted && `+${formatCount(inserted)}`, updated && `${formatCount(updated)} updated`, deleted && `−${formatCount(deleted)}`].filter(
      Boolean
    );
    return `${name} ${changes.join(", ") || "unchanged"}`;
  });
  const patchedNote = patches.length ? ` (patched, not repacked: ${patches.join("; ")})` : "";
  out(`  site       ${site.written.length} files written to its data folder in ${formatMs(site.ms)}${atPublish}${patchedNote}`);
  for (const {name, error} of site.earlyPackFailures)
    out(pc.yellow(`             packing ${name} beside the stages failed (${error}); it was packed when publishing`));
  const quality = run.stages.find((stage) => stage.name === "quality");
  if (quality?.detail) out(`  quality    ${quality.detail}`);
  out(pc.dim("  stage        status      time     rows"));
  for (const stage of run.stages) {
    const status = stage.status === "ran" ? pc.green("ran    ") : pc.dim(stage.status.padEnd(7));
    const time = stage.status === "ran" ? formatMs(stage.durationMs).padStart(9) : "".padStart(9);
    out(
      `  ${stage.name.padEnd(12)} ${status} ${time}  ${stage.rowsOut !== null ? formatCount(stage.rowsOut) : ""}${stage.detail ? pc.dim("  " + stage.detail) : ""}`
    );
  }
}

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${pc.red("error")}: ${(error as Error).message}\n`);
    return 2;
  }
  if (command.kind === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (command.kind === "graph") {
    let refit: string = DEFAULT_OPTIONS.refit;
    try {
      refit = resolveOptions({}).refit;
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      process.stderr.write(`${pc.yellow("warning")}: ${error.message}; showing the default refit period\n`);
    }
    process.stdout.write(formatGraph(STAGES, {refit}));
    return 0;
  }
  if (command.kind === "watch") return watch(command.options, command.pollSeconds);
  const interrupt = new AbortController();
  onInterrupt(() => interrupt.abort());
  return (await runOnce(command.options, interrupt.signal)) ?? 0;
}

/** One run, its summary or its failure printed; the failure's exit code, or null when it succeeded. */
async function runOnce(options: Partial<PipelineOptions>, signal: AbortSignal, onFailure?: (error: PipelineError) => void): Promise<number | null> {
  try {
    printSummary(await runPipeline(options, {signal}));
    return null;
  } catch (error) {
    if (error instanceof PipelineError) {
      // Record first (the site's banner), then say so: whoever reads the message finds the record in place.
      onFailure?.(error);
      process.stderr.write(`\n${pc.red(pc.bold("✗ Pipeline failed"))}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

/**
 * Ctrl-C: the first stops the run in progress before its next stage (it then fails, publishing nothing,
 * and releases its lock); a second one exits at once, releasing the lock (snapshots are only ever
 * replaced by renames, so none is half-written).
 */
function onInterrupt(stop: () => void): void {
  let pressed = false;
  const handler = () => {
    if (pressed) {
      releaseHeldLocks();
      process.exit(130);
    }
    pressed = true;
    process.stderr.write(pc.yellow("\nStopping (the stage in progress finishes first; Ctrl-C again to stop at once)…\n"));
    stop();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

async function watch(options: Partial<PipelineOptions>, pollSeconds: number | null): Promise<number> {
  let rawDir: string;
  let siteRoot: string;
  let root: string;
  try {
    ({rawDir, siteRoot, root} = resolveOptions(options));
  } catch (error) {
    if (!(error instanceof PipelineError)) throw error;
    process.stderr.write(`${pc.red("error")}: ${error.message}\n`);
    return error.exitCode;
  }
  const stopWatching = new AbortController();
  let running: AbortController | null = null;
  onInterrupt(() => {
    stopWatching.abort();
    running?.abort();
  });
  const say = (line: string) => process.stdout.write(line + "\n");
  say(pc.dim(`Watching ${rawDir} for new, changed and removed input files${pollSeconds ? ` (checked every ${pollSeconds} s)` : ""}; Ctrl-C stops.`));
  await watchRawFolder(rawDir, {
    pollSeconds,
    signal: stopWatching.signal,
    log: (line) => say(pc.dim(line)),
    // A configuration edited while watching applies from the next run; one the schema refuses fails it.
    alsoWatch: [join(root, CONFIG_FILE)],
    run: async (change) => {
      if (change) say(`\n${pc.bold(describeChange(change))}`);
      running = new AbortController();
      try {
        // A refused configuration fails before the run starts (nothing else records it): the site's banner says so.
        const failed = await runOnce(options, running.signal, (error) => {
          if (error instanceof UsageError) writeSiteStatus(siteRoot, {ok: false, error: error.message});
        });
        if (failed !== null && !stopWatching.signal.aborted) say(pc.dim("The previous snapshots stay published; watching for the next change."));
      } finally {
        running = null;
      }
    }
  });
  say(pc.dim("Stopped watching."));
  return 0;
}

function describeChange({added, changed, removed}: FolderChange): string {
  const part = (verb: string, paths: string[]) =>
    paths.length ? `${paths.length} ${verb} (${paths.slice(0, 3).join(", ")}${paths.length > 3 ? `, … ${paths.length - 3} more` : ""})` : null;
  return `Files changed: ${[part("added", added), part("changed", changed), part("removed", removed)].filter(Boolean).join("; ")}`;
}

// A reader that stops early (`npm run pipeline | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main();

// For `npm run bench`: the peak memory of this whole process (every thread: DuckDB's and the models').
if (process.env.RETAIL_RESOURCE_REPORT) {
  const {writeFileSync} = await import("node:fs");
  const usage = process.resourceUsage();
  writeFileSync(
    process.env.RETAIL_RESOURCE_REPORT,
    JSON.stringify({maxRssKiB: usage.maxRSS, cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)})
  );
}
