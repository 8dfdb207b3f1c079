/**
 * The site's speed budgets in a real browser (Debian's Chromium, loopback, a fresh profile per visit so
 * every visit is a first visit), against the built dist/ (run `npm run build` first):
 *
 * - Overview first chart: ms from navigation until the first chart's SVG is in the page (budget 1 s);
 * - sales queryable: ms from navigation until the `sales` snapshot is attached in DuckDB-WASM on the
 *   Overview (budget 3.5 s; the engine alone needs about 3 s);
 * - filter change: ms from changing the country filter (to a random selection of one to three countries,
 *   seeded) until the KPIs and every fast-path chart are redrawn and painted, p50 and p95 (budget p95
 *   100 ms).
 *
 *   npm run bench:site -- [--visits 5] [--changes 50]
 *
 * Part of `npm run bench`; run alone, it prints the medians and writes bench/results/site-performance.json.
 */
import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {mulberry32} from "../models/random.js";
import {launchChromium, serveStatic} from "../test/helpers/browser.js";
import {DIST, markTime, measureFilterLatency, percentile, recordFirstChart} from "../test/helpers/site.js";

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
    salesQueryableMs: number;
    filterChanges: number;
    filterChangeP50Ms: number;
    filterChangeP95Ms: number;
  };
  visits: {firstChartMs: number; duckdbReadyMs: number; salesQueryableMs: number}[];
  latencies: number[];
}

export async function measureSite({visits: count = 5, changes = 50} = {}): Promise<SiteMeasurements> {
  if (!existsSync(join(DIST, "index.html"))) throw new Error(`${DIST} has no site: run \`npm run build\` first`);
  const server = await serveStatic(DIST);
  const visits: SiteMeasurements["visits"] = [];
  let latencies: number[] = [];
  try {
    for (let visit = 0; visit < count; visit++) {
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        await recordFirstChart(page);
        await page.goto(`${server.origin}/`);
        const salesQueryableMs = await markTime(page, "snapshot attached: sales");
        const duckdbReadyMs = await markTime(page, "duckdb ready");
        const firstChartMs = await page.evaluate(() => (window as unknown as {__firstChartMs: number}).__firstChartMs);
        visits.push({firstChartMs, duckdbReadyMs, salesQueryableMs});
        if (visit === 0) {
          await page.waitForSelector("[data-leaderboard=products] tbody tr");
          latencies = await measureFilterLatency(page, randomSelections(changes), changes);
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  const median = (numbers: number[]) => Math.round(percentile(numbers, 50));
  return {
    summary: {
      visits: visits.length,
      overviewFirstChartMs: median(visits.map((visit) => visit.firstChartMs)),
      duckdbReadyMs: median(visits.map((visit) => visit.duckdbReadyMs)),
      salesQueryableMs: median(visits.map((visit) => visit.salesQueryableMs)),
      filterChanges: latencies.length,
      filterChangeP50Ms: Math.round(percentile(latencies, 50)),
      filterChangeP95Ms: Math.round(percentile(latencies, 95))
    },
    visits,
    latencies
  };
}

if (process.argv[1]?.endsWith("site-performance.ts")) {
  const {values} = parseArgs({options: {visits: {type: "string", default: "5"}, changes: {type: "string", default: "50"}}});
  const measured = await measureSite({visits: Number(values.visits), changes: Number(values.changes)});
  console.table(measured.visits.map((visit) => Object.fromEntries(Object.entries(visit).map(([key, value]) => [key, Math.round(value)]))));
  console.log(measured.summary);
  mkdirSync(join(DIST, "..", "bench", "results"), {recursive: true});
  writeFileSync(join(DIST, "..", "bench", "results", "site-performance.json"), JSON.stringify(measured, null, 1));
}
