/**
 * `npm run dev` as the seed's FileSensor: with the preview open on the Overview, a daily file copied into
 * the raw folder shows up in the page by itself (no reload), a broken file shows a banner naming it while
 * the previous numbers stay, and removing files takes their rows away. Runs `loaders/site/dev.mjs` in a
 * copy of the project holding a few days of the shipped data.
 */
import {spawn, type ChildProcess} from "node:child_process";
import {copyFileSync, mkdirSync, rmSync, writeFileSync} from "node:fs";
import {createServer} from "node:net";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {launchChromium, type LaunchedBrowser} from "../helpers/browser.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {PROJECT_ROOT} from "../helpers/fixtures.js";
import {copyProject, type ProjectCopy} from "../helpers/project-copy.js";

const SHIPPED = join(PROJECT_ROOT, "data", "raw", "online-retail");
const FIRST_DAYS = ["2010-12-01.csv.gz", "2010-12-02.csv.gz", "2010-12-03.csv.gz"];
const NEW_DAY = "2010-12-05.csv.gz";

let project: ProjectCopy;
let dev: ChildProcess;
let output = "";
let origin: string;
let browser: LaunchedBrowser;
let page: Page;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; dev output:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const warehouseOrders = async () =>
  (await readSnapshot<{n: number}>(join(project.dir, "data", "warehouse"), "orders", "SELECT count(*)::INTEGER AS n FROM t"))[0]!.n;
const pageOrders = () => page.getAttribute("[data-kpi=orders]", "data-value").then(Number);

beforeAll(async () => {
  project = copyProject("retail-live-");
  const raw = join(project.raw, "online-retail");
  mkdirSync(raw, {recursive: true});
  for (const file of FIRST_DAYS) copyFileSync(join(SHIPPED, file), join(raw, file));
  // A page written the way Framework's documentation writes them: implicit Plot, d3 and html, no imports.
  writeFileSync(
    join(project.dir, "src", "my-plot.md"),
    "# My plot\n\n```js\nPlot.plot({marks: [Plot.barY([1, 2, 3])]})\n```\n\n```js\nhtml`<p data-answer>${d3.sum([1, 2, 3])}</p>`\n```\n"
  );
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  dev = spawn(process.execPath, ["loaders/site/dev.mjs", "--progress", "plain", "--port", String(port), "--no-open"], {
    cwd: project.dir,
    env: {...process.env, NO_COLOR: "1", OBSERVABLE_TELEMETRY_DISABLE: "true"},
    stdio: ["ignore", "pipe", "pipe"]
  });
  dev.stdout!.on("data", (chunk) => (output += chunk));
  dev.stderr!.on("data", (chunk) => (output += chunk));
  await until("the preview to answer", async () => (await fetch(`${origin}/`)).ok, 300_000);
  await until("the watcher to start", async () => output.includes("Watching "));
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForSelector("[data-kpi=orders]", {timeout: 120_000});
  await page.evaluate(() => ((window as unknown as {__notReloaded: boolean}).__notReloaded = true));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (dev && dev.exitCode === null) {
    dev.kill("SIGINT");
    await new Promise((resolve) => dev.once("exit", resolve));
  }
  project?.dispose();
});

const notReloaded = () => page.evaluate(() => (window as unknown as {__notReloaded?: boolean}).__notReloaded === true);

describe("npm run dev, with the Overview open", () => {
  it("shows a daily file dropped into the raw folder without a reload", async () => {
    const before = await warehouseOrders();
    expect(await pageOrders()).toBe(before);
    const landed = Date.now();
    copyFileSync(join(SHIPPED, NEW_DAY), join(project.raw, "online-retail", NEW_DAY));
    const after = await until("the page to show the new orders", async () => {
      const shown = await pageOrders();
      return shown > before ? shown : null;
    });
    console.log(`${NEW_DAY}: on the open page ${((Date.now() - landed) / 1000).toFixed(1)} s after it landed (${before} → ${after} orders)`);
    expect(after).toBe(await warehouseOrders());
    expect(await notReloaded()).toBe(true);
  }, 200_000);

  it("shows a banner naming a broken file while the previous numbers stay, and clears it when the file goes", async () => {
    const shown = await pageOrders();
    writeFileSync(join(project.raw, "online-retail", "2010-12-06.csv.gz"), gzipSync("this,is,not,the,online,retail,header\n1,2,3,4,5,6,7\n"));
    const banner = await until("the banner", () => page.$eval("body", (body) => body.querySelector("[data-banner=pipeline-failed]")?.textContent));
    expect(banner).toContain("2010-12-06.csv.gz");
    expect(banner).toContain("missing required columns");
    expect(await pageOrders()).toBe(shown);
    rmSync(join(project.raw, "online-retail", "2010-12-06.csv.gz"));
    await until("the banner to go", () => page.$eval("body", (body) => body.querySelector("[data-banner=pipeline-failed]") === null));
    expect(await pageOrders()).toBe(shown);
    expect(await notReloaded()).toBe(true);
  }, 200_000);

  it("serves a page written with Framework's implicit imports from node_modules, in the preview", async () => {
    const other = await browser.context.newPage();
    const failed: string[] = [];
    other.on("requestfailed", (request) => failed.push(request.url()));
    try {
      await other.goto(`${origin}/my-plot`);
      await other.waitForSelector("#observablehq-main svg", {timeout: 60_000});
      expect(await other.textContent("[data-answer]")).toBe("6");
      expect(await other.textContent("#observablehq-main")).not.toContain("fetch failed");
      expect(failed).toEqual([]);
    } finally {
      await other.close();
    }
  }, 120_000);

  it("takes a removed file's rows away", async () => {
    const shown = await pageOrders();
    rmSync(join(project.raw, "online-retail", NEW_DAY));
    const after = await until("the page to drop the removed day's orders", async () => {
      const now = await pageOrders();
      return now < shown ? now : null;
    });
    expect(after).toBe(await warehouseOrders());
    expect(await notReloaded()).toBe(true);
  }, 200_000);
});
