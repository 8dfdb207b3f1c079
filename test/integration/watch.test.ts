/**
 * `npm run pipeline -- --watch`: a run when complete input files land, never two at once (a burst of files
 * costs at most two runs), a gzip file still being copied waited for, `--poll` for file systems without
 * change events, and Ctrl-C in the middle of a run leaving a consistent warehouse and no lock.
 */
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {afterEach, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {sha256File} from "../../loaders/run/files.js";
import {lockPath} from "../../loaders/run/lock.js";
import {readManifest} from "../../loaders/run/manifest.js";
import {startCli, type CliRun} from "../helpers/cli.js";
import {csv, HEADER, workspace, type Workspace} from "../helpers/fixtures.js";

/** A day of three invoices, two customers. */
const day = (date: string, invoice: number) =>
  csv(
    HEADER,
    `${invoice},85123A,MUG,6,${date} 08:26:00,2.55,17850,United Kingdom`,
    `${invoice + 1},22633,HAND WARMER,6,${date} 09:28:00,1.85,17850,United Kingdom`,
    `${invoice + 2},22423,CAKESTAND,1,${date} 10:00:00,12.75,12347,Iceland`
  );

let space: Workspace | null = null;
let cli: CliRun | null = null;
afterEach(async () => {
  if (cli && cli.child.exitCode === null) {
    cli.child.kill("SIGKILL");
    await cli.exited;
  }
  space?.dispose();
  space = cli = null;
});

const runs = () => cli!.stdout().match(/Pipeline finished|Everything is up to date|Pipeline failed/g)?.length ?? 0;
const changes = () => cli!.stdout().match(/^Files changed/gm)?.length ?? 0;

async function until(what: string, probe: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${cli?.stdout()}\n${cli?.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A watcher on a fresh workspace holding one day: `extra` flags, a `config` file, the `progress` mode (silent). */
function watch({extra = [], config, progress = "silent"}: {extra?: string[]; config?: object; progress?: string} = {}): CliRun {
  space = workspace("retail-watch-");
  space.write("2010-12-01.csv", day("2010-12-01", 536001));
  if (config) writeFileSync(join(space.dir, "retail.config.json"), JSON.stringify(config));
  return (cli = startCli(["--raw", space.raw, "--warehouse", space.warehouse, "--progress", progress, "--watch", ...extra], {}, space.dir));
}

const siteStatus = () => JSON.parse(readFileSync(`${space!.warehouse}-site/data/pipeline-status.json`, "utf8")) as {ok: boolean; error?: string};

const ingestedFiles = () => readManifest(space!.warehouse).files.map((file) => file.path);

describe("pipeline --watch", () => {
  it("processes a burst of files in at most two runs, and each file once it is complete", async () => {
    watch();
    await until("the first run", () => runs() === 1);
    for (let i = 2; i <= 7; i++) {
      space!.write(`2010-12-0${i}.csv`, day(`2010-12-0${i}`, 536000 + i * 10));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await until("every file to be in the warehouse", () => existsSync(join(space!.warehouse, "manifest.json")) && ingestedFiles().length === 7, 120_000);
    await until("the run to finish", () => runs() === 1 + changes());
    expect(changes()).toBeGreaterThanOrEqual(1);
    expect(changes()).toBeLessThanOrEqual(2);
    expect(cli!.stdout()).not.toContain("Pipeline failed");
  }, 180_000);

  it("waits for a gzip file whose copy is not finished, then reads it whole", async () => {
    watch({extra: ["--poll", "0.5"]});
    await until("the first run", () => runs() === 1);
    const whole = gzipSync(day("2010-12-02", 536100));
    const path = join(space!.raw, "2010-12-02.csv.gz");
    writeFileSync(path, whole.subarray(0, whole.length - 12)); // the trailer is missing
    await until("the watcher to notice", () => cli!.stdout().includes("waiting for 2010-12-02.csv.gz to be complete"), 30_000);
    expect(runs()).toBe(1);
    writeFileSync(path, whole);
    await until("the run with it", () => runs() === 2, 60_000);
    expect(cli!.stdout()).not.toContain("Pipeline failed");
    expect(readManifest(space!.warehouse).tables.sales.rows).toBe(6);
  }, 120_000);

  it("runs again when the configuration changes, and a refused one fails the run with the site's banner until it is fixed", async () => {
    watch({config: {threads: 1}});
    await until("the first run", () => runs() === 1);
    expect(siteStatus()).toEqual({ok: true});
    writeFileSync(join(space!.dir, "retail.config.json"), JSON.stringify({threads: 0}));
    await until("the refused run", () => cli!.stderr().includes("Pipeline failed"));
    expect(cli!.stderr()).toContain("retail.config.json: invalid threads");
    expect(siteStatus()).toMatchObject({ok: false, error: expect.stringContaining("retail.config.json: invalid threads")});
    writeFileSync(join(space!.dir, "retail.config.json"), JSON.stringify({threads: 1}));
    await until("the banner to clear", () => siteStatus().ok === true);
  }, 120_000);

  it("stops cleanly on Ctrl-C during a run: no lock, the previous snapshots whole, and the next run completes", async () => {
    watch({progress: "plain"});
    await until("the first run", () => runs() === 1);
    const before = readManifest(space!.warehouse);
    space!.write("2010-12-02.csv", day("2010-12-02", 536200));
    await until("the run to start", () => changes() === 1);
    // Interrupted while `clean` runs, so every later stage is still to come (a fixed delay let a quick run finish first).
    const cleanStarts = () => cli!.stderr().match(/ clean: started/g)?.length ?? 0;
    await until("the second run's clean stage", () => cleanStarts() === 2);
    cli!.child.kill("SIGINT");
    expect(await cli!.exited).toBe(0);
    expect(cli!.stdout()).toContain("Stopped watching.");
    expect(existsSync(lockPath(space!.warehouse))).toBe(false);
    // Every table the manifest lists is on disk with the bytes it names, and none is the stopped run's.
    const after = readManifest(space!.warehouse);
    for (const table of Object.values(after.tables)) expect([table.name, sha256File(join(space!.warehouse, table.file))]).toEqual([table.name, table.sha256]);
    expect(cli!.stderr()).toContain("stopped (interrupted) before");
    expect(after.tables.sales.sha256).toBe(before.tables.sales.sha256);
    const next = await runPipeline(space!.options);
    expect(next.manifest.tables.sales.rows).toBe(6);
  }, 120_000);
});
