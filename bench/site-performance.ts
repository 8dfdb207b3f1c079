/**
 * The site's speed budgets in a real browser (Debian's Chromium, loopback, a fresh profile per visit so
 * every visit is a first visit), against the built dist/ (run `npm run build` first):
 *
 * - Overview first chart: ms from navigation until the first chart's SVG is in the page (budget 1 s);
 * - Overview products: ms from navigation until its top products (summed in DuckDB-WASM from the product
 *   marts) are listed;
 * - sales queryable: ms from navigation until the `sales` snapshot is attached in DuckDB-WASM on the Sales
 *   page, a first visit of its own (budget 3.5 s; the engine alone needs about 3 s);
 * - SQL console answered: ms from navigation until the SQL console (a first visit of its own) shows the
 *   result of its default query;
 * - filter change: ms from changing the country filter (to a random selection of one to three countries,
 *   seeded) until the KPIs and every fast-path chart are redrawn and painted, p50 and p95 (budget p95
 *   100 ms).
 * - products after a filter change: the same, one change at a time (a pause after each), until the
 *   Overview's top products (a DuckDB-WASM query, paced so that back-to-back changes query once) are
 *   listed too, p50.
 *
 * - bytes transferred by a first visit of the Overview, of the Sales page, and of the Sales page under a
 *   one-month filter (besides the `.wasm` engines), with how much of the packed `sales` file was read.
 *
 *   npm run bench:site -- [--visits 5] [--changes 50] [--scale N]
 *
 * `--scale N` measures a site built from N times the shipped data (`npm run generate`) by a copy of the
 * project, whose data (and warehouse) are kept under the system's temporary folder for later runs.
 *
 * Part of `npm run bench`; run alone, it prints the medians and writes bench/results/site-performance.json.
 */
import {existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {parseArgs} from "node:util";
import {mulberry32} from "../models/random.js";
import {launchChromium, serveStatic, type StaticServer} from "../test/helpers/browser.js";
import {copyProject} from "../test/helpers/project-copy.js";
import {generate} from "../scripts/generate.js";
import {DIST, FAST_PATH, markTime, measureFilterLatency, percentile, recordAppearance, recordFirstChart} from "../test/helpers/site.js";

const COUNTRIES = ["United Kingdom", "Germany", "France", "EIRE", "Spain", "Netherlands", "Belgium", "Switzerland", "Portugal", "Australia", "Norway", "Italy"];

/** Seeded random filter selections of one to three countries, each different from the one before. */
function randomSelections(count: number, seed = 42): string[][] {
  const random = mulberry32(seed);
  const selections: string[][] = [];
  while (selections.length < count) {
    const size = 1 + Math.floor(random() * 3);
    const picked = new Set<string>();
    while (picked.size < size) picked.add(COUNTRIES[Math.floor(random() * COUNTRIES.length)]!);
    const selection = [...picked].sort();
    if (selection.join() !== selections.at(-1)?.join()) selections.push(selection);
  }
  return selections;
}

export interface SiteMeasurements {
  summary: {
    visits: number;
    overviewFirstChartMs: number;
    duckdbReadyMs: number;
    overviewProductsMs: number;
    salesQueryableMs: number;
    sqlConsoleMs: number;
    filterChanges: number;
    filterChangeP50Ms: number;
    filterChangeP95Ms: number;
    productsAfterChangeP50Ms: number;
  };
  visits: {firstChartMs: number; duckdbReadyMs: number; overviewProductsMs: number; salesQueryableMs: number; sqlConsoleMs: number}[];
  latencies: number[];
  productLatencies: number[];
  pages: PageBytes[];
}

/** What one first visit of a page transferred, the `.wasm` engines apart. */
export interface PageBytes {
  page: string;
  megabytes: number;
  wasmMegabytes: number;
  /** Of the packed `sales` file: bytes read and its size. */
  salesReadMegabytes: number;
  salesFileMegabytes: number;
}

const SQL_RESULT = "[data-sql-result] .virtual-table-wrap";

const MB = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function pageBytes(server: StaticServer, dist: string, path: string, ready: (page: Page) => Promise<unknown>): Promise<PageBytes> {
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const start = server.transfers.length;
    await page.goto(`${server.origin}${path}`);
    await ready(page);
    await page.waitForLoadState("networkidle");
    const transfers = server.transfers.slice(start);
    const wasm = transfers.filter((transfer) => transfer.path.endsWith(".wasm"));
    const sales = transfers.filter((transfer) => /\/data\/packed\/sales\.[0-9a-f]+\.duckdb$/.test(transfer.path));
    const salesFile = readdirSync(join(dist, "_file", "data", "packed")).find((name) => /^sales\.[0-9a-f]+\.duckdb$/.test(name));
    const sum = (list: {bytes: number}[]) => list.reduce((total, transfer) => total + transfer.bytes, 0);
    return {
      page: path,
      megabytes: MB(sum(transfers) - sum(wasm)),
      wasmMegabytes: MB(sum(wasm)),
      salesReadMegabytes: MB(sum(sales)),
      salesFileMegabytes: salesFile ? MB(statSync(join(dist, "_file", "data", "packed", salesFile)).size) : 0
    };
  } finally {
    await browser.close();
  }
}

/** Runs `visit` on a page of a fresh browser (an empty cache: a first visit). */
async function firstVisit<T>(visit: (page: Page) => Promise<T>): Promise<T> {
  const browser = await launchChromium();
  try {
    return await visit(await browser.context.newPage());
  } finally {
    await browser.close();
  }
}

/**
 * A site built from `scale` times the shipped data: the project's current code in a fresh copy, whose
 * `data/` (the generated files and their warehouse) is kept between runs, so only the first one generates
 * and runs the whole pipeline.
 */
async function scaledSite(scale: number): Promise<{dist: string; dispose: () => void}> {
  const kept = join(tmpdir(), `retail-site-scale-${scale}x`);
  const project = copyProject(`retail-site-scale-${scale}x-`);
  mkdirSync(kept, {recursive: true});
  symlinkSync(kept, join(project.dir, "data"), "dir");
  if (!existsSync(join(kept, "raw", "online-retail", "2011-12-09.csv.gz"))) {
    console.error(`generating ${scale}× the shipped data in ${kept} (once)…`);
    await generate({scale, out: join(kept, "raw")});
  }
  console.error(`building the site of ${scale}× the data in ${project.dir}…`);
  await project.build();
  return {dist: project.dist, dispose: () => project.dispose()};
}

export async function measureSite({visits: count = 5, changes = 50, dist = DIST} = {}): Promise<SiteMeasurements> {
  if (!existsSync(join(dist, "index.html"))) throw new Error(`${dist} has no site: run \`npm run build\` first`);
  // Validators, as a real static host sends them: the browser keeps the ranges DuckDB-WASM fetched.
  const server = await serveStatic(dist, {validators: true});
  const visits: SiteMeasurements["visits"] = [];
  let latencies: number[] = [];
  let productLatencies: number[] = [];
  const pages: PageBytes[] = [];
  try {
    for (let visit = 0; visit < count; visit++) {
      const overview = await launchChromium();
      let measured: Omit<SiteMeasurements["visits"][number], "salesQueryableMs" | "sqlConsoleMs">;
      try {
        const page = await overview.context.newPage();
        await recordFirstChart(page);
        await recordAppearance(page, "[data-leaderboard=products] tbody tr", "products");
        await page.goto(`${server.origin}/`);
        const duckdbReadyMs = await markTime(page, "duckdb ready");
        await page.waitForSelector("[data-leaderboard=products] tbody tr", {timeout: 60_000});
        const [firstChartMs, overviewProductsMs] = await page.evaluate(() => {
          const marks = window as unknown as {__firstChartMs: number; __appeared: Record<string, number>};
          return [marks.__firstChartMs, marks.__appeared.products!];
        });
        measured = {firstChartMs: firstChartMs!, duckdbReadyMs, overviewProductsMs: overviewProductsMs!};
        if (visit === 0) {
          const paused = Math.min(changes, 10);
          const selections = randomSelections(changes + paused);
          latencies = await measureFilterLatency(page, selections.slice(0, changes), changes);
          const watch = [...FAST_PATH, "[data-leaderboard=products]"];
          productLatencies = await measureFilterLatency(page, selections.slice(changes), paused, {watch, pause: 500});
        }
      } finally {
        await overview.close();
      }
      // First visits of their own: the Sales page attaches `sales` as soon as the engine is ready.
      const salesQueryableMs = await firstVisit(async (page) => {
        await page.goto(`${server.origin}/sales`);
        return markTime(page, "snapshot attached: sales");
      });
      const sqlConsoleMs = await firstVisit(async (page) => {
        await recordAppearance(page, SQL_RESULT, "result");
        await page.goto(`${server.origin}/sql`);
        await page.waitForSelector(SQL_RESULT, {timeout: 300_000});
        return page.evaluate(() => (window as unknown as {__appeared: Record<string, number>}).__appeared.result!);
      });
      visits.push({...measured, salesQueryableMs, sqlConsoleMs});
    }
    const lineItems = (page: Page) => page.waitForSelector("[data-section=line-items] .virtual-table-wrap", {timeout: 300_000});
    pages.push(await pageBytes(server, dist, "/", (page) => page.waitForSelector("[data-leaderboard=products] tbody tr", {timeout: 300_000})));
    pages.push(await pageBytes(server, dist, "/sales", lineItems));
    pages.push(await pageBytes(server, dist, "/sales?from=2011-11-01&to=2011-11-30", lineItems));
    pages.push(await pageBytes(server, dist, "/sql", (page) => page.waitForSelector(SQL_RESULT, {timeout: 300_000})));
    // A customer of one order day, and one of seven: their line items read only those days' blocks of `sales`.
    for (const id of [12349, 12347]) pages.push(await pageBytes(server, dist, `/customer?id=${id}`, lineItems));
  } finally {
    await server.close();
  }
  const median = (numbers: number[]) => Math.round(percentile(numbers, 50));
  return {
    summary: {
      visits: visits.length,
      overviewFirstChartMs: median(visits.map((visit) => visit.firstChartMs)),
      duckdbReadyMs: median(visits.map((visit) => visit.duckdbReadyMs)),
      overviewProductsMs: median(visits.map((visit) => visit.overviewProductsMs)),
      salesQueryableMs: median(visits.map((visit) => visit.salesQueryableMs)),
      sqlConsoleMs: median(visits.map((visit) => visit.sqlConsoleMs)),
      filterChanges: latencies.length,
      filterChangeP50Ms: Math.round(percentile(latencies, 50)),
      filterChangeP95Ms: Math.round(percentile(latencies, 95)),
      productsAfterChangeP50Ms: Math.round(percentile(productLatencies, 50))
    },
    visits,
    latencies,
    productLatencies,
    pages
  };
}

if (process.argv[1]?.endsWith("site-performance.ts")) {
  const {values} = parseArgs({
    options: {visits: {type: "string", default: "5"}, changes: {type: "string", default: "50"}, scale: {type: "string", default: "1"}}
  });
  const scale = Number(values.scale);
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`invalid --scale; not a positive integer: ${values.scale}`);
  const site = scale === 1 ? {dist: DIST, dispose: () => {}} : await scaledSite(scale);
  const measured = await measureSite({visits: Number(values.visits), changes: Number(values.changes), dist: site.dist}).finally(site.dispose);
  console.table(measured.visits.map((visit) => Object.fromEntries(Object.entries(visit).map(([key, value]) => [key, Math.round(value)]))));
  console.table(measured.pages);
  console.log({scale, ...measured.summary});
  mkdirSync(join(DIST, "..", "bench", "results"), {recursive: true});
  writeFileSync(join(DIST, "..", "bench", "results", `site-performance${scale === 1 ? "" : `-${scale}x`}.json`), JSON.stringify(measured, null, 1));
}
