#!/usr/bin/env node
/**
 * `npm run bench`: how fast the product is, as figures anyone can reproduce on their machine. Medians over
 * several runs after a warm-up, with min–max; printed as a table and written as JSON to bench/results/.
 *
 *   npm run bench                           # shipped data: pipeline, site build, browser
 *   npm run bench -- --scale 10,100         # plus cold runs on generated data N times the size
 *   npm run bench -- --only cold,nochange --runs 3
 */
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {availableParallelism, cpus, tmpdir, totalmem} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {readManifest} from "../loaders/run/manifest.js";
import {generate} from "../scripts/generate.js";
import {benchBrowser} from "./browser.js";
import {ROOT, runCli, runCommand, summarise, type Summary} from "./measure.js";

const {values} = parseArgs({
  options: {
    runs: {type: "string", default: "5"},
    scale: {type: "string", default: ""},
    only: {type: "string", default: "cold,incremental,refit,nochange,build,browser"},
    out: {type: "string"}
  }
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`invalid --runs; not a positive integer: ${values.runs}`);
const only = new Set(values.only!.split(",").map((item) => item.trim()));
const scales = values.scale ? values.scale.split(",").map(Number) : [];
for (const scale of scales) if (!Number.isInteger(scale) || scale < 1) throw new Error(`invalid --scale; not a positive integer: ${scale}`);

const SHIPPED = join(ROOT, "data", "raw");
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  machine: {cpus: availableParallelism(), cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version}
};
const rows: [string, string, string][] = [];
const ms = (value: number) => (value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`);
const show = (label: string, summary: Summary, note = "") =>
  rows.push([label, `${ms(summary.median)}`, `${ms(summary.min)}–${ms(summary.max)} (${summary.runs} runs)${note ? ` ${note}` : ""}`]);
const log = (line: string) => process.stderr.write(`${line}\n`);

function scratchDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `retail-bench-${name}-`));
}

/** A scratch warehouse and the site copy beside it (see withScratchSite). */
function removeWarehouse(warehouse: string): void {
  rmSync(warehouse, {recursive: true, force: true});
  rmSync(`${warehouse}-site`, {recursive: true, force: true});
}

/** The independent pandas + scikit-learn pipeline on the same data, measured on this 2-core machine (DESIGN.md). */
const PANDAS_REFERENCE = {wallS: 32.2, cpuS: 37};

async function cold() {
  log("cold pipeline on the shipped data…");
  const timings: number[] = [];
  const cpu: number[] = [];
  const peaks: number[] = [];
  const stages: Record<string, number[]> = {};
  let sizes: Record<string, number> = {};
  for (let run = 0; run <= runs; run++) {
    const warehouse = scratchDir("cold");
    const result = await runCli(["--raw", SHIPPED, "--warehouse", warehouse]);
    if (run > 0) {
      timings.push(result.ms);
      cpu.push(result.cpuMs);
      peaks.push(result.peakMiB);
      for (const stage of readManifest(warehouse).runs[0].stages) (stages[stage.name] ??= []).push(stage.durationMs);
      sizes = Object.fromEntries(
        Object.values(readManifest(warehouse).tables)
          .filter((table) => table.published)
          .map((table) => [table.name, table.bytes])
      );
    }
    removeWarehouse(warehouse);
  }
  const summary = summarise(timings);
  const cpuSummary = summarise(cpu);
  const memory = summarise(peaks);
  const against = `pandas + scikit-learn: ${PANDAS_REFERENCE.wallS} s wall, ${PANDAS_REFERENCE.cpuS} CPU-s → ${(PANDAS_REFERENCE.wallS / (summary.median / 1000)).toFixed(1)}× faster`;
  show("cold pipeline (305 files, 541,909 lines)", summary, `peak ${Math.round(memory.max)} MiB; ${against}`);
  show("  CPU time, all threads", cpuSummary);
  for (const [name, values] of Object.entries(stages)) show(`  stage ${name} (wall, side by side)`, summarise(values));

  // Per-stage CPU is only well defined when stages do not overlap: one more cold run, one stage at a time.
  log("cold pipeline, one stage at a time (CPU per stage)…");
  const warehouse = scratchDir("serial");
  const serial = await runCli(["--raw", SHIPPED, "--warehouse", warehouse, "--stages-at-once", "1"]);
  const serialStages = readManifest(warehouse).runs[0].stages;
  removeWarehouse(warehouse);
  rows.push(["cold pipeline, one stage at a time", ms(serial.ms), `CPU ${ms(serial.cpuMs)} (1 run)`]);
  for (const stage of serialStages) rows.push([`  stage ${stage.name}`, ms(stage.durationMs), `CPU ${ms(stage.cpuMs ?? 0)}`]);
  results.cold = {
    ms: summary,
    cpuMs: cpuSummary,
    peakMiB: memory,
    pandasReference: PANDAS_REFERENCE,
    stages: Object.fromEntries(Object.entries(stages).map(([name, values]) => [name, summarise(values)])),
    serial: {
      ms: serial.ms,
      cpuMs: serial.cpuMs,
      stages: Object.fromEntries(serialStages.map((stage) => [stage.name, {ms: stage.durationMs, cpuMs: stage.cpuMs}]))
    },
    snapshotBytes: sizes
  };
}

/** A raw folder with the shipped files before `day` (YYYY-MM-DD), and a warehouse built from it. */
async function preparedWarehouse(day: string) {
  const raw = scratchDir("raw");
  const warehouse = scratchDir("warehouse");
  const files = readdirSync(join(SHIPPED, "online-retail"))
    .filter((name) => name.endsWith(".csv.gz"))
    .sort();
  const added = files.find((name) => name.startsWith(day));
  if (!added) throw new Error(`no shipped file for ${day}`);
  mkdirSync(join(raw, "online-retail"));
  for (const name of files.filter((name) => name < added)) copyFileSync(join(SHIPPED, "online-retail", name), join(raw, "online-retail", name));
  await runCli(["--raw", raw, "--warehouse", warehouse]);
  return {raw, warehouse, added};
}

/**
 * One new daily file on top of the days before it: `2011-12-09` (a Friday) lands inside a week whose fits
 * exist, so the models only score; `2011-12-04` (a Sunday) completes the week, so every model refits.
 */
async function oneFile(key: "incremental" | "refit", label: string, day: string) {
  log(`${label}…`);
  const {raw, warehouse, added} = await preparedWarehouse(day);
  const timings: number[] = [];
  const peaks: number[] = [];
  const cpus: number[] = [];
  const stages: Record<string, number[]> = {};
  const stageCpus: Record<string, number[]> = {};
  for (let run = 0; run <= runs; run++) {
    copyFileSync(join(SHIPPED, "online-retail", added), join(raw, "online-retail", added));
    const result = await runCli(["--raw", raw, "--warehouse", warehouse]);
    if (run > 0) {
      timings.push(result.ms);
      peaks.push(result.peakMiB);
      cpus.push(result.cpuMs);
      for (const stage of readManifest(warehouse).runs[0].stages) {
        if (stage.status !== "ran") continue;
        (stages[stage.name] ??= []).push(stage.durationMs);
        (stageCpus[stage.name] ??= []).push(stage.cpuMs ?? 0);
      }
    }
    rmSync(join(raw, "online-retail", added));
    await runCli(["--raw", raw, "--warehouse", warehouse]);
  }
  show(label, summarise(timings), `peak ${Math.round(Math.max(...peaks))} MiB, CPU ${ms(summarise(cpus).median)}`);
  const dataStages = ["ingest", "clean", "marts"].filter((name) => stages[name]);
  const dataReady = Array.from({length: timings.length}, (_, run) => dataStages.reduce((sum, name) => sum + stages[name][run], 0));
  show("  of which ingest → marts (data snapshots)", summarise(dataReady));
  for (const [name, values] of Object.entries(stages)) show(`  stage ${name}`, summarise(values), `CPU ${ms(summarise(stageCpus[name]).median)}`);
  results[key] = {
    ms: summarise(timings),
    cpuMs: summarise(cpus),
    dataSnapshotsMs: summarise(dataReady),
    peakMiB: summarise(peaks),
    stages: Object.fromEntries(Object.entries(stages).map(([name, values]) => [name, {...summarise(values), cpuMs: summarise(stageCpus[name]).median}]))
  };
  rmSync(raw, {recursive: true, force: true});
  removeWarehouse(warehouse);
}

async function noChange() {
  log("pipeline with nothing changed…");
  const warehouse = scratchDir("nochange");
  await runCli(["--raw", SHIPPED, "--warehouse", warehouse]);
  const timings: number[] = [];
  const cpus: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const result = await runCli(["--raw", SHIPPED, "--warehouse", warehouse]);
    if (!result.stdout.includes("up to date")) throw new Error(`expected nothing to do, got:\n${result.stdout}`);
    if (run > 0) (timings.push(result.ms), cpus.push(result.cpuMs));
  }
  show("nothing changed", summarise(timings), `(whole command: Node start to exit), CPU ${ms(summarise(cpus).median)}`);
  results.noChange = {ms: summarise(timings)};
  removeWarehouse(warehouse);
}

async function build() {
  log("site build…");
  await runCli([]); // the project's own warehouse, and its site's copy of the snapshots
  const builds: number[] = [];
  const rebuilds: number[] = [];
  const npmBuild = () => runCommand(process.execPath, [join(ROOT, "loaders", "site", "build.mjs"), "--progress", "silent"]);
  for (let run = 0; run <= Math.min(runs, 3); run++) {
    rmSync(join(ROOT, "dist", ".built-from"), {force: true}); // as after editing a page
    const built = await npmBuild();
    const rebuilt = await npmBuild();
    if (run > 0) (builds.push(built), rebuilds.push(rebuilt));
  }
  show("npm run build, pipeline up to date, pages changed (Framework builds)", summarise(builds), "(Framework's node_modules bundles cached)");
  show("npm run build, nothing changed", summarise(rebuilds));
  results.build = {ms: summarise(builds), rebuildMs: summarise(rebuilds)};
}

async function browser() {
  log("browser (headless Chromium against the built site on 127.0.0.1)…");
  if (!only.has("build")) await runCli([]);
  const measured = await benchBrowser(runs);
  rows.push(...measured.rows);
  results.browser = measured.results;
}

async function scaled(scale: number) {
  log(`cold pipeline at ${scale}× (generating the data first if needed)…`);
  const data = join(tmpdir(), `retail-bench-data-${scale}x`);
  if (!existsSync(join(data, "online-retail", "2011-12-09.csv.gz"))) await generate({scale, out: data});
  const lines = 541_909 * scale;
  const warehouse = scratchDir(`scale${scale}`);
  const result = await runCli(["--raw", data, "--warehouse", warehouse]);
  const stages = Object.fromEntries(readManifest(warehouse).runs[0].stages.map((stage) => [stage.name, stage.durationMs]));
  rows.push([
    `cold pipeline at ${scale}× (${(lines / 1e6).toFixed(1)} M lines)`,
    ms(result.ms),
    `peak ${Math.round(result.peakMiB)} MiB, CPU ${ms(result.cpuMs)}, ${(result.ms / (lines / 1e6) / 1000).toFixed(2)} s per million lines (1 run)`
  ]);
  for (const [name, value] of Object.entries(stages)) rows.push([`  stage ${name}`, ms(value), ""]);
  (results.scale ??= {}) as Record<string, unknown>;
  (results.scale as Record<string, unknown>)[`${scale}x`] = {ms: result.ms, peakMiB: result.peakMiB, lines, stages};
  removeWarehouse(warehouse);
}

if (only.has("cold")) await cold();
if (only.has("incremental")) await oneFile("incremental", "one new daily file inside a week (models score)", "2011-12-09");
if (only.has("refit")) await oneFile("refit", "one new daily file completing a week (models refit)", "2011-12-04");
if (only.has("nochange")) await noChange();
if (only.has("build")) await build();
if (only.has("browser")) await browser();
for (const scale of scales) await scaled(scale);

const width = Math.max(...rows.map(([label]) => label.length));
process.stdout.write(`\n${"measure".padEnd(width)}  ${"median".padStart(9)}  min–max\n`);
for (const [label, median, range] of rows) process.stdout.write(`${label.padEnd(width)}  ${median.padStart(9)}  ${range}\n`);
const out = values.out ?? join(ROOT, "bench", "results", `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
mkdirSync(join(out, ".."), {recursive: true});
writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
writeFileSync(join(ROOT, "bench", "results", "latest.json"), JSON.stringify(results, null, 2) + "\n");
process.stdout.write(`\nresults: ${out}\n`);
