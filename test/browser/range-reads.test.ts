/**
 * Reading only what a query needs: the site's packed `sales` database is read by DuckDB-WASM over HTTP range
 * requests from a server that answers them, and downloaded whole, with a one-line notice, from one that
 * does not (as `python3 -m http.server`). Both give the answer DuckDB in Node reads from the snapshot.
 */
import {statSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {launchChromium, serveStatic, type LaunchedBrowser} from "../helpers/browser.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {buildSite} from "../helpers/site.js";
import {PROJECT_ROOT} from "../../loaders/paths.js";

const WAREHOUSE = join(PROJECT_ROOT, "data", "warehouse");
const MONTH = "invoice_date >= TIMESTAMP '2011-11-01' AND invoice_date < TIMESTAMP '2011-12-01'";
const QUERY = `SELECT count(*)::INTEGER AS lines, round(sum(revenue), 2)::DOUBLE AS revenue FROM sales WHERE ${MONTH}`;

let dist: string;
let browser: LaunchedBrowser;
beforeAll(async () => {
  dist = await buildSite();
  browser = await launchChromium();
}, 900_000);
afterAll(async () => {
  await browser?.close();
});

/** Runs the one-month query in the SQL console against a server with or without ranges. */
async function monthOnSqlPage(ranges: boolean) {
  const server = await serveStatic(dist, {ranges});
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  try {
    await page.goto(`${server.origin}/sql?sql=${encodeURIComponent(QUERY)}`);
    await page.waitForSelector("[data-sql-result] .virtual-table-wrap", {timeout: 90_000});
    const cells = await page.$$eval("[data-sql-result] tbody tr:not(.spacer) td", (tds) => tds.map((td) => (td.textContent ?? "").trim()));
    const notice = await page.$("[data-notice=whole-downloads]");
    const packed = server.transfers.filter((transfer) => /\/_file\/data\/packed\/sales\.[0-9a-f]+\.duckdb$/.test(transfer.path));
    return {cells, notice: notice ? await notice.textContent() : null, packed, errors};
  } finally {
    await page.close();
    await server.close();
  }
}

describe("the SQL console on the packed sales database", () => {
  it("reads a fraction of the file over range requests where the server answers them", async () => {
    const [expected] = await readSnapshot<{lines: number; revenue: number}>(
      WAREHOUSE,
      "sales",
      `SELECT count(*)::INTEGER AS lines, round(sum(revenue), 2)::DOUBLE AS revenue FROM t WHERE ${MONTH}`
    );
    const result = await monthOnSqlPage(true);
    expect(result.errors).toEqual([]);
    expect(result.cells[0].replace(/,/g, "")).toBe(String(expected.lines));
    expect(Number(result.cells[1].replace(/[£,]/g, ""))).toBeCloseTo(expected.revenue, 2);
    expect(result.notice).toBeNull();
    const size = statSync(join(dist, result.packed[0]!.path)).size;
    expect(result.packed.length).toBeGreaterThan(1);
    expect(result.packed.every((transfer) => transfer.status === 206)).toBe(true);
    const read = result.packed.reduce((sum, transfer) => sum + transfer.bytes, 0);
    console.log(`sales.duckdb: ${read} of ${size} bytes read over ${result.packed.length} range requests for one month`);
    expect(read).toBeLessThan(size / 2);
  }, 180_000);

  it("downloads the file whole, says so in one line, and gives the same answer where ranges are not served", async () => {
    const ranged = await monthOnSqlPage(true);
    const whole = await monthOnSqlPage(false);
    expect(whole.errors).toEqual([]);
    expect(whole.cells).toEqual(ranged.cells);
    expect(whole.packed.map((transfer) => transfer.status)).toEqual([200]);
    expect(whole.notice).toMatch(/^This server does not answer range requests, so each table is downloaded whole/);
  }, 180_000);
});

describe("a browser keeps the ranges it fetched", () => {
  it("transfers no byte of the packed file twice for one Customer page where the server sends validators, as static hosts do", async () => {
    // DuckDB-WASM's read-ahead asks for overlapping ranges (each read head doubles its window); without
    // validators every one of them is transferred in full: 26.8 MB read of the 10.5 MB file for this page.
    const server = await serveStatic(dist, {validators: true});
    const page = await browser.context.newPage();
    try {
      await page.goto(`${server.origin}/customer?id=12347`);
      await page.waitForSelector("[data-section=line-items] .virtual-table-wrap", {timeout: 90_000});
      await page.waitForLoadState("networkidle");
      const ranges = server.transfers
        .filter((transfer) => /\/_file\/data\/packed\/sales\.[0-9a-f]+\.duckdb$/.test(transfer.path) && transfer.status === 206)
        .map((transfer) => transfer.range!.split("-").map(Number) as [number, number])
        .sort((a, b) => a[0] - b[0]);
      expect(ranges.length).toBeGreaterThan(1);
      const transferred = ranges.reduce((sum, [start, end]) => sum + end - start + 1, 0);
      let union = 0;
      let reached = -1;
      for (const [start, end] of ranges) {
        if (end > reached) union += end - Math.max(start, reached + 1) + 1;
        reached = Math.max(reached, end);
      }
      expect(transferred).toBe(union);
    } finally {
      await page.close();
      await server.close();
    }
  }, 180_000);
});
