/**
 * `npm run bench:site`: the site's speed budgets in a real browser (Debian's Chromium, loopback, a fresh
 * profile per visit so every visit is a first visit). Serves the built dist/ (run `npm run build` first):
 *
 * - Overview first chart: ms from navigation until the first chart's SVG is in the page (budget 1 s);
 * - sales queryable: ms from navigation until the `sales` snapshot is attached in DuckDB-WASM on the
 *   Overview (budget 3.5 s; the engine alone needs about 3 s);
 * - filter change: ms from changing the country filter until the KPIs and every fast-path chart are
 *   redrawn and painted, p50 and p95 (budget p95 100 ms).
 *
 *   npm run bench:site -- [--visits 5] [--changes 40]
 *
 * Prints the medians and writes bench/results/site-performance.json.
 */
import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {launchChromium, serveStatic} from "../test/helpers/browser.js";
import {DIST, markTime, measureFilterLatency, percentile, recordFirstChart} from "../test/helpers/site.js";

const {values} = parseArgs({options: {visits: {type: "string", default: "5"}, changes: {type: "string", default: "40"}}});
if (!existsSync(join(DIST, "index.html"))) throw new Error(`${DIST} has no site: run \`npm run build\` first`);

const server = await serveStatic(DIST);
const visits: {firstChartMs: number; duckdbReadyMs: number; salesQueryableMs: number}[] = [];
let latencies: number[] = [];
try {
  for (let visit = 0; visit < Number(values.visits); visit++) {
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
        await page.waitForSelector("[data-chart=top-products] svg");
        latencies = await measureFilterLatency(page, ["France", "Germany", "EIRE", "Spain", "Netherlands", "Australia"], Number(values.changes));
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
const median = (numbers: number[]) => Math.round(percentile(numbers, 50));
const summary = {
  visits: visits.length,
  overviewFirstChartMs: median(visits.map((visit) => visit.firstChartMs)),
  duckdbReadyMs: median(visits.map((visit) => visit.duckdbReadyMs)),
  salesQueryableMs: median(visits.map((visit) => visit.salesQueryableMs)),
  filterChanges: latencies.length,
  filterChangeP50Ms: Math.round(percentile(latencies, 50)),
  filterChangeP95Ms: Math.round(percentile(latencies, 95))
};
console.table(visits.map((visit) => Object.fromEntries(Object.entries(visit).map(([key, value]) => [key, Math.round(value)]))));
console.log(summary);
mkdirSync(join(DIST, "..", "bench", "results"), {recursive: true});
writeFileSync(join(DIST, "..", "bench", "results", "site-performance.json"), JSON.stringify({summary, visits, latencies}, null, 1));
