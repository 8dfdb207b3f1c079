/**
 * The built site in a real browser: Debian's Chromium (playwright-core) against dist/ served on
 * 127.0.0.1, compared with what DuckDB in Node reads from the same snapshots. beforeAll builds the site
 * first (pipeline + `observable build`, offline), so `npm test` on a fresh clone tests what it built.
 */
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {launchChromium, serveStatic, type LaunchedBrowser, type StaticServer} from "../helpers/browser.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {PROJECT_ROOT} from "../helpers/fixtures.js";
import {buildSite, markTime, measureFilterLatency, parseCsv, percentile, recordFirstChart} from "../helpers/site.js";

const WAREHOUSE = join(PROJECT_ROOT, "data", "warehouse");

/** Each page, and what shows it has finished loading (including its DuckDB-WASM queries). */
const PAGES: Record<string, string> = {
  "/": "[data-chart=top-products] svg",
  "/sales": "[data-section=line-items] .virtual-table-wrap",
  "/products": "[data-chart=top-products] svg",
  "/customers": "[data-chart=rfm-movement] svg",
  "/segments": "[data-chart=segment-scatter] svg",
  "/churn": "[data-section=at-risk-table] table",
  "/customer?id=12347": "body:has([data-section=recommendations] [data-recommendations]):has([data-section=line-items] .virtual-table-wrap)",
  "/forecast": "[data-backtest=month] tbody tr",
  "/recommendations?customer=12347": "[data-recommendations=discover] tbody tr",
  "/anomalies": "[data-section=anomalies] table",
  "/market-basket": "[data-section=rules] table",
  "/action-items": "[data-action=campaign]",
  "/sql": "[data-sql-result] .virtual-table-wrap",
  "/data-quality": "[data-reconciliation]",
  "/pipeline": ".stage-graph [data-stage=marts]",
  "/notebook-template": "table:has(thead:has-text('lines')) td:has-text('United Kingdom')",
  "/components/README": "h1:has-text('Site components')"
};

let server: StaticServer;
let browser: LaunchedBrowser;
const timings: Record<string, unknown> = {};

beforeAll(async () => {
  const dist = await buildSite();
  server = await serveStatic(dist);
  browser = await launchChromium();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (Object.keys(timings).length) {
    console.log("site timings (ms):", JSON.stringify(timings));
    mkdirSync(join(PROJECT_ROOT, "bench", "results"), {recursive: true});
    writeFileSync(join(PROJECT_ROOT, "bench", "results", "site-test-timings.json"), JSON.stringify(timings, null, 1));
  }
});

interface Problems {
  consoleErrors: string[];
  failedRequests: string[];
  otherHosts: string[];
}

/** Opens a page, recording console errors, failed requests and requests to any host but ours. */
async function open(path: string): Promise<{page: Page; problems: Problems}> {
  const page = await browser.context.newPage();
  const problems: Problems = {consoleErrors: [], failedRequests: [], otherHosts: []};
  page.on("console", (message) => message.type() === "error" && problems.consoleErrors.push(message.text()));
  page.on("pageerror", (error) => problems.consoleErrors.push(String(error)));
  page.on("requestfailed", (request) => problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on("response", (response) => response.status() >= 400 && problems.failedRequests.push(`${response.url()}: HTTP ${response.status()}`));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(`${server.origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:")) problems.otherHosts.push(url);
  });
  await recordFirstChart(page);
  await page.goto(`${server.origin}${path}`);
  return {page, problems};
}

const kpi = (page: Page, name: string, attribute = "data-value") => page.getAttribute(`[data-kpi=${name}]`, attribute).then(Number);

interface ExpectedKpis {
  revenue: number;
  orders: number;
  units: number;
  customers: number;
}

/** The KPIs computed independently in Node: DuckDB over the `orders` snapshot. */
async function expectedKpis(countries: string[], from: string | null, to: string | null): Promise<ExpectedKpis> {
  const conditions = ["TRUE"];
  if (countries.length) conditions.push(`country IN (${countries.map((country) => `'${country.replaceAll("'", "''")}'`).join(", ")})`);
  if (from) conditions.push(`invoice_date >= DATE '${from}'`);
  if (to) conditions.push(`invoice_date < DATE '${to}' + INTERVAL 1 DAY`);
  const [row] = await readSnapshot<ExpectedKpis>(WAREHOUSE, "orders",
    `SELECT coalesce(sum(revenue), 0) AS revenue, count(*) AS orders, coalesce(sum(units), 0)::BIGINT AS units, count(DISTINCT customer_id) AS customers
     FROM t WHERE ${conditions.join(" AND ")}`);
  return row!;
}

async function expectKpis(page: Page, expected: ExpectedKpis, attribute = "data-value") {
  expect((await kpi(page, "revenue", attribute)).toFixed(2)).toBe(expected.revenue.toFixed(2));
  expect(await kpi(page, "orders", attribute)).toBe(expected.orders);
  expect(await kpi(page, "units", attribute)).toBe(expected.units);
  expect(await kpi(page, "customers", attribute)).toBe(expected.customers);
  expect((await kpi(page, "averageOrderValue", attribute)).toFixed(4)).toBe((expected.revenue / expected.orders).toFixed(4));
}

describe("every page", () => {
  for (const [path, ready] of Object.entries(PAGES)) {
    it(`${path} loads with no console errors, no failed requests and no request to another host`, async () => {
      const {page, problems} = await open(path);
      try {
        await page.waitForSelector(ready, {timeout: 90_000});
        await page.waitForLoadState("networkidle");
        expect(problems).toEqual({consoleErrors: [], failedRequests: [], otherHosts: []});
      } finally {
        await page.close();
      }
    });
  }
});

describe("Overview", () => {
  it("shows the KPIs the snapshots give, for all time and for a filtered period with its previous period", async () => {
    const {page} = await open("/");
    try {
      await page.waitForSelector("[data-kpi=revenue]");
      const firstChartMs = await page.evaluate(() => (window as unknown as {__firstChartMs?: number}).__firstChartMs);
      timings.overviewFirstChart = Math.round(firstChartMs!);
      timings.overviewSalesQueryable = Math.round(await markTime(page, "snapshot attached: sales", 90_000));

      const all = await expectedKpis([], null, null);
      await expectKpis(page, all);
      expect(await page.textContent("[data-kpi=revenue] .big")).toBe(`£${Math.round(all.revenue).toLocaleString("en-GB")}`);

      await page.goto(`${server.origin}/?country=France&country=Germany&from=2011-07-01&to=2011-09-30`);
      await page.waitForSelector("[data-kpi=revenue]");
      await expectKpis(page, await expectedKpis(["France", "Germany"], "2011-07-01", "2011-09-30"));
      await expectKpis(page, await expectedKpis(["France", "Germany"], "2011-03-31", "2011-06-30"), "data-previous");
    } finally {
      await page.close();
    }
  });

  it("follows a filter change in every chart and in the URL; reload, back and forward restore it", async () => {
    const {page} = await open("/");
    try {
      await page.waitForSelector("[data-chart=top-products] svg", {timeout: 90_000});
      const charts = ["revenue-trend", "revenue-by-country", "revenue-year-month", "top-products"];
      const snapshot = () => Promise.all(charts.map((chart) => page.innerHTML(`[data-chart=${chart}]`)));
      const before = await snapshot();
      const all = await expectedKpis([], null, null);

      await page.selectOption("select[name=country]", [{label: "France"}]);
      await page.waitForURL(/\?country=France$/);
      const france = await expectedKpis(["France"], null, null);
      await page.waitForFunction((orders) => document.querySelector("[data-kpi=orders]")?.getAttribute("data-value") === String(orders), france.orders);
      await page.waitForFunction(() => !document.querySelector("[data-chart=top-products]")?.closest(".pending")?.querySelector(".loading"));
      await page.waitForSelector("[data-chart=top-products] svg");
      const after = await snapshot();
      charts.forEach((chart, i) => expect(after[i], `${chart} changed`).not.toBe(before[i]));
      expect(await page.textContent("[data-chart=revenue-by-country]")).not.toContain("United Kingdom");

      await page.click("button[data-preset='Last 90 days']");
      await page.waitForURL(/\?country=France&from=2011-09-11&to=2011-12-09$/);
      await page.waitForFunction((orders) => document.querySelector("[data-kpi=orders]")?.getAttribute("data-value") === String(orders), (await expectedKpis(["France"], "2011-09-11", "2011-12-09")).orders);

      await page.reload();
      await page.waitForSelector("[data-kpi=orders]");
      await expectKpis(page, await expectedKpis(["France"], "2011-09-11", "2011-12-09"));
      expect(await page.$eval("select[name=country]", (select) => [...(select as HTMLSelectElement).selectedOptions].map((option) => option.textContent))).toEqual(["France"]);
      expect(await page.inputValue("input[name=from]")).toBe("2011-09-11");

      await page.goBack();
      await page.waitForURL(/\?country=France$/);
      await page.waitForFunction((orders) => document.querySelector("[data-kpi=orders]")?.getAttribute("data-value") === String(orders), france.orders);
      expect(await page.inputValue("input[name=from]")).toBe("");
      await page.goBack();
      await page.waitForURL(`${server.origin}/`);
      await page.waitForFunction((orders) => document.querySelector("[data-kpi=orders]")?.getAttribute("data-value") === String(orders), all.orders);
      await page.goForward();
      await page.waitForURL(/\?country=France$/);
      await page.waitForFunction((orders) => document.querySelector("[data-kpi=orders]")?.getAttribute("data-value") === String(orders), france.orders);

      // Filter latency, reported (not asserted: no timing assertions in tests).
      const latencies = await measureFilterLatency(page, ["Germany", "EIRE", "Spain", "Netherlands", "Australia"], 30);
      timings.filterChangeP50 = Math.round(percentile(latencies, 50));
      timings.filterChangeP95 = Math.round(percentile(latencies, 95));
    } finally {
      await page.close();
    }
  });
});

describe("Data quality and Pipeline", () => {
  it("show the warehouse's checks, a reconciliation that balances, and each snapshot's lineage", async () => {
    const manifest = JSON.parse(readFileSync(join(WAREHOUSE, "manifest.json"), "utf8")) as {tables: Record<string, {sha256: string; rows: number; runId: string}>};
    const checks = await readSnapshot<{n: number; failed: number}>(WAREHOUSE, "data_quality", "SELECT count(*)::INTEGER AS n, count(*) FILTER (status = 'fail')::INTEGER AS failed FROM t");
    const {page} = await open("/data-quality");
    try {
      await page.waitForSelector("[data-reconciliation]");
      expect(await page.getAttribute("[data-difference]", "data-difference")).toBe("0");
      expect(await page.textContent("[data-rejected-files]")).toContain("No file was rejected");
      expect(await page.textContent("[data-reconciliation]")).toContain(manifest.tables.sales!.rows.toLocaleString("en-GB"));
      expect(await page.locator("form table tbody tr", {has: page.locator("span", {hasText: "✓ pass"})}).count()).toBe(checks[0]!.n - checks[0]!.failed);

      await page.goto(`${server.origin}/pipeline`);
      await page.waitForSelector("[data-lineage=sales]");
      const lineage = await page.textContent("[data-lineage=sales]");
      expect(lineage).toContain(manifest.tables.sales!.sha256);
      expect(lineage).toContain(manifest.tables.sales!.runId);
      for (const stage of ["raw files", "ingest", "clean", "marts", "quality"]) expect(await page.locator(`.stage-graph [data-stage="${stage}"]`).count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});

describe("downloads", () => {
  const FILTER = {country: "Iceland", from: "2011-01-01", to: "2011-06-30"};
  const expectedRows = () => readSnapshot<Record<string, unknown>>(WAREHOUSE, "sales",
    `SELECT * FROM t WHERE country = '${FILTER.country}' AND invoice_date >= DATE '${FILTER.from}' AND invoice_date < DATE '${FILTER.to}' + INTERVAL 1 DAY
     ORDER BY invoice_date, source_file, source_line`);

  async function download(page: Page, selector: string): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
    return (await file.path())!;
  }

  it("CSV and Parquet of the filtered line items hold exactly the filtered rows", async () => {
    const {page} = await open(`/sales?country=${FILTER.country}&from=${FILTER.from}&to=${FILTER.to}`);
    try {
      await page.waitForSelector("[data-section=line-items] .virtual-table-wrap", {timeout: 90_000});
      const expected = await expectedRows();
      expect(expected.length).toBeGreaterThan(10);
      expect(await page.getAttribute("[data-section=line-items] .virtual-table-wrap", "data-rows")).toBe(String(expected.length));

      const csv = parseCsv(readFileSync(await download(page, "[data-section=line-items] button[data-download=csv]"), "utf8"));
      const columns = Object.keys(expected[0]!);
      expect(csv[0]).toEqual(columns);
      const cell = (value: unknown) =>
        value === null ? "" : value instanceof Date ? value.toISOString().slice(0, 19).replace("T", " ") : typeof value === "object" ? String(value) : String(value);
      expect(csv.slice(1)).toEqual(expected.map((row) => columns.map((column) => cell(row[column]))));

      const parquet = await download(page, "[data-section=line-items] button[data-download=parquet]");
      const fromParquet = await readSnapshot<Record<string, unknown>>(WAREHOUSE, "sales", `SELECT * FROM read_parquet('${parquet.replaceAll("'", "''")}')`);
      expect(fromParquet.map((row) => [row.source_file, row.source_line, row.invoice_no, row.stock_code, row.quantity, row.revenue]))
        .toEqual(expected.map((row) => [row.source_file, row.source_line, row.invoice_no, row.stock_code, row.quantity, row.revenue]));
    } finally {
      await page.close();
    }
  });

  it("CSV cells a spreadsheet would run as formulas are neutralised", async () => {
    const query = `SELECT '=HYPERLINK("http://x")' AS a, '+1+1' AS b, '-2' AS c, '@SUM(A1)' AS d, 'T-LIGHT' AS e, -5 AS n`;
    const {page} = await open(`/sql?sql=${encodeURIComponent(query)}`);
    try {
      await page.waitForSelector("[data-sql-result] .virtual-table-wrap", {timeout: 90_000});
      const text = readFileSync(await download(page, "button[data-download=csv]"), "utf8");
      expect(text).toBe(`a,b,c,d,e,n\r\n"'=HYPERLINK(""http://x"")",'+1+1,'-2,'@SUM(A1),T-LIGHT,-5\r\n`);
    } finally {
      await page.close();
    }
  });
});

describe("SQL", () => {
  it("a ```sql cell in a page returns the snapshot's answer", async () => {
    const expected = await readSnapshot<{country: string; revenue: number; lines: number}>(WAREHOUSE, "sales",
      "SELECT country, round(sum(revenue), 2) AS revenue, count(*)::INTEGER AS lines FROM t GROUP BY country ORDER BY revenue DESC LIMIT 5");
    const {page} = await open("/notebook-template");
    try {
      const table = page.locator("table", {has: page.locator("thead", {hasText: "lines"})});
      await table.waitFor({timeout: 90_000});
      const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim()).filter((text) => text !== "")));
      expect(rows.map((row) => row[0])).toEqual(expected.map((row) => row.country));
      expect(rows.map((row) => Number(row[1]!.replaceAll(",", "")))).toEqual(expected.map((row) => row.revenue));
      expect(rows.map((row) => Number(row[2]!.replaceAll(",", "")))).toEqual(expected.map((row) => row.lines));
    } finally {
      await page.close();
    }
  });

  it("the SQL console runs a typed query, keeps it in the URL, and shows errors in place", async () => {
    const query = "SELECT stock_code, count(*)::INTEGER AS lines, sum(quantity)::DOUBLE AS units FROM sales WHERE country = 'Japan' GROUP BY stock_code ORDER BY units DESC, stock_code LIMIT 3";
    const expected = await readSnapshot<{stock_code: string; lines: number; units: number}>(WAREHOUSE, "sales",
      query.replace("FROM sales", "FROM t"));
    const {page} = await open("/sql");
    try {
      await page.waitForSelector("[data-sql-result] .virtual-table-wrap", {timeout: 90_000});
      await page.fill("textarea[name=sql]", query);
      await page.click("button:has-text('Run')");
      await page.waitForURL((url) => url.searchParams.get("sql") === query);
      const readResult = () => page.locator("[data-sql-result] tbody tr:not(.spacer)").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
      await page.waitForFunction(() => document.querySelector("[data-sql-result] th")?.textContent === "stock_code");
      const expectedCells = expected.map((row) => [row.stock_code, String(row.lines), row.units.toLocaleString("en-GB")]);
      expect(await readResult()).toEqual(expectedCells);
      expect(await page.locator("[data-chart=quick-chart] svg").count()).toBe(1);

      await page.reload();
      await page.waitForFunction(() => document.querySelector("[data-sql-result] th")?.textContent === "stock_code", null, {timeout: 90_000});
      expect(await page.inputValue("textarea[name=sql]")).toBe(query);
      expect(await readResult()).toEqual(expectedCells);

      await page.fill("textarea[name=sql]", "SELECT no_such_column FROM orders");
      await page.click("button:has-text('Run')");
      await expect.poll(() => page.textContent("[data-sql-error]").catch(() => null), {timeout: 30_000}).toMatch(/no_such_column/);
    } finally {
      await page.close();
    }
  });
});
