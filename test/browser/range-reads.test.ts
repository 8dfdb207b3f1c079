/**
 * Reading only what a query needs: the site's packed `sales` database is read by DuckDB-WASM over HTTP range
 * requests from a server that answers them, and downloaded whole, with a one-line notice, from one that
 * does not (as `python3 -m http.server`). Both give the answer DuckDB in Node reads from the snapshot.
 */
import {DuckDBInstance} from "@duckdb/node-api";
import {cpSync, readdirSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {launchChromium, serveStatic, type LaunchedBrowser} from "../helpers/browser.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {buildSite} from "../helpers/site.js";
import {PROJECT_ROOT} from "../../loaders/paths.js";
import {packSnapshot} from "../../loaders/site/packed.js";
import {patchPacked} from "../../loaders/site/patch-packed.js";

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

/** Runs a query (the one-month query by default) in the SQL console against a server with or without ranges. */
async function monthOnSqlPage(ranges: boolean, {root = dist, query = QUERY}: {root?: string; query?: string} = {}) {
  const server = await serveStatic(root, {ranges});
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  try {
    await page.goto(`${server.origin}/sql?sql=${encodeURIComponent(query)}`);
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

describe("a packed database a patch wrote (a new daily file, loaders/site/patch-packed.ts)", () => {
  it("answers in DuckDB-WASM as the snapshot does, updated, deleted and appended rows included", async () => {
    // The previous day's copy: the snapshot without its last day, two November lines whose returns were not
    // matched yet, and a line its file no longer has. Patched into today's snapshot, served in place of dist's.
    const sales = join(WAREHOUSE, "snapshots", "sales.parquet");
    const work = join(tmpdir(), `retail-patched-site-${process.pid}`);
    const patchedDist = join(work, "dist");
    rmSync(work, {recursive: true, force: true});
    cpSync(dist, patchedDist, {recursive: true});
    const instance = await DuckDBInstance.create(":memory:", {threads: "1"});
    try {
      const connection = await instance.connect();
      const base = join(work, "base.parquet");
      const snapshot = `read_parquet('${sales}')`;
      await connection.run(`
        COPY (
          WITH unmatched AS (SELECT source_file, source_line FROM ${snapshot} WHERE returned_quantity > 0 AND ${MONTH} ORDER BY ALL LIMIT 2)
          SELECT line.* REPLACE (CASE WHEN unmatched.source_line IS NULL THEN line.returned_quantity ELSE 0 END AS returned_quantity)
          FROM ${snapshot} AS line LEFT JOIN unmatched USING (source_file, source_line)
          WHERE line.invoice_date < (SELECT max(invoice_date)::DATE FROM ${snapshot})
          UNION ALL BY NAME
          (SELECT * REPLACE ('removed.csv' AS source_file) FROM ${snapshot} WHERE ${MONTH} LIMIT 1)
        ) TO '${base}' (FORMAT parquet)`);
      connection.closeSync();
      const packedBase = join(work, "base.duckdb");
      const {rows} = await packSnapshot(base, packedBase, "sales", instance);
      const served = readdirSync(join(patchedDist, "_file", "data", "packed")).find((file) => /^sales\.[0-9a-f]+\.duckdb$/.test(file))!;
      const target = join(patchedDist, "_file", "data", "packed", served);
      rmSync(target);
      const outcome = await patchPacked(instance, {
        table: "sales",
        base: packedBase,
        baseStats: {rows, freshBytesPerRow: statSync(packedBase).size / rows},
        parquet: sales,
        target
      });
      expect(outcome).toMatchObject({patched: true, deleted: 1});
      if (!outcome.patched) return;
      expect(outcome.inserted).toBeGreaterThan(100);
      expect(outcome.updated).toBeGreaterThan(0);
    } finally {
      instance.closeSync();
    }
    try {
      const query = `SELECT count(*)::INTEGER AS lines, sum(returned_quantity)::INTEGER AS returned, round(sum(net_revenue), 2)::DOUBLE AS net FROM sales WHERE ${MONTH}`;
      const [expected] = await readSnapshot<{lines: number; returned: number; net: number}>(WAREHOUSE, "sales", query.replace("FROM sales", "FROM t"));
      const lastDay = "invoice_date >= (SELECT max(invoice_date)::DATE FROM sales)";
      const [today] = await readSnapshot<{lines: number}>(
        WAREHOUSE,
        "sales",
        `SELECT count(*)::INTEGER AS lines FROM t WHERE ${lastDay.replace("FROM sales", "FROM t")}`
      );
      for (const ranges of [true, false]) {
        const month = await monthOnSqlPage(ranges, {root: patchedDist, query});
        expect(month.errors).toEqual([]);
        expect(month.cells.slice(0, 2).map((cell) => Number(cell.replace(/,/g, "")))).toEqual([expected!.lines, expected!.returned]);
        expect(Number(month.cells[2]!.replace(/[£,]/g, ""))).toBeCloseTo(expected!.net, 2);
        const day = await monthOnSqlPage(ranges, {root: patchedDist, query: `SELECT count(*)::INTEGER AS lines FROM sales WHERE ${lastDay}`});
        expect(day.errors).toEqual([]);
        expect(Number(day.cells[0]!.replace(/,/g, ""))).toBe(today!.lines);
      }
    } finally {
      rmSync(work, {recursive: true, force: true});
    }
  }, 300_000);
});
