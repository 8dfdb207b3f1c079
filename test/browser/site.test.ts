/**
 * The built site in a real browser: Debian's Chromium (playwright-core) against dist/ served on
 * 127.0.0.1, compared with what DuckDB in Node reads from the same snapshots. beforeAll builds the site
 * first (pipeline + `observable build`, offline), so `npm test` on a fresh clone tests what it built.
 */
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {failedForReal, launchChromium, serveStatic, type LaunchedBrowser, type StaticServer} from "../helpers/browser.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {PROJECT_ROOT} from "../helpers/fixtures.js";
import {buildSite, DIST, markTime, measureFilterLatency, parseCsv, percentile, recordFirstChart} from "../helpers/site.js";

const WAREHOUSE = join(PROJECT_ROOT, "data", "warehouse");

/**
 * Each page, and what shows it has finished loading (including its DuckDB-WASM queries): something in the
 * answer, visible in the first screen (charts in a folded "How we know" are drawn only once it opens).
 */
const PAGES: Record<string, string> = {
  "/": "[data-leaderboard=products] tbody tr",
  "/action-items": "[data-action=campaign]",
  "/sales": "[data-section=line-items] .virtual-table-wrap",
  "/products": "[data-table=products] tr[data-row]",
  "/forecast": "[data-section=forecast-answer]",
  "/anomalies": "[data-section=anomalies] table",
  "/market-basket": "[data-section=rules] table",
  "/customers": "[data-table=rfm-customers] tr[data-row]",
  "/segments": "[data-section=segments-answer]",
  "/churn": "[data-section=at-risk-table] table",
  "/customer?id=12347": "body:has([data-section=recommendations] [data-recommendations]):has([data-section=line-items] .virtual-table-wrap)",
  "/recommendations": "[data-section=recommendations-answer]",
  "/sql": "[data-sql-result] .virtual-table-wrap",
  "/data-quality": "[data-reconciliation]",
  "/pipeline": ".stage-graph [data-stage=marts]",
  "/notebook-template": "table:has(thead:has-text('lines')) td:has-text('United Kingdom')",
  "/components/README": "h1:has-text('Site components')"
};

/** Where the every-page test leaves its screenshots (git-ignored): look at them as a reader would. */
const SCREENSHOTS = join(PROJECT_ROOT, "bench", "results", "screenshots");

/** How each page is looked at: desktop and phone width, light and dark. */
const VIEWS = [
  {name: "1400", width: 1400, height: 900, colorScheme: "light"},
  {name: "390", width: 390, height: 844, colorScheme: "light"},
  {name: "1400-dark", width: 1400, height: 900, colorScheme: "dark"},
  {name: "390-dark", width: 390, height: 844, colorScheme: "dark"}
] as const;

interface Layout {
  /** How far the page or the main column is wider than the window (0 = no horizontal overflow). */
  pageOverflow: number;
  mainOverflow: number;
  /** Elements sticking out of the main column, for the failure message. */
  offenders: string[];
  /** Tables of the table standard wider than their box. */
  wideTables: string[];
  /** Cells that failed (Framework's error display, or a query's error in place). */
  errors: string[];
}

/** Measures the page as laid out now. */
function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const main = document.querySelector<HTMLElement>("#observablehq-main")!;
    const right = main.getBoundingClientRect().right;
    const folded = (e: Element) => Boolean(e.closest("details:not([open])"));
    const scrolls = (element: Element | null): boolean => {
      for (let e = element?.parentElement; e && e !== main; e = e.parentElement)
        if (["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX)) return true;
      return false;
    };
    const offenders = [...main.querySelectorAll<HTMLElement>("*")]
      .filter((e) => e.getBoundingClientRect().right > right + 1 && e.getClientRects().length > 0 && !scrolls(e) && !folded(e))
      .slice(0, 5)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}${e.className && typeof e.className === "string" ? `.${e.className.trim().split(/\s+/).join(".")}` : ""}${e.dataset.chart ? `[data-chart=${e.dataset.chart}]` : ""}`
      );
    const wideTables = [...document.querySelectorAll<HTMLElement>(".data-table__scroll")]
      .filter((e) => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1)
      .map((e) => e.closest<HTMLElement>("[data-table]")?.dataset.table ?? "?");
    const errors = [...document.querySelectorAll(".observablehq--error, .pending .sql-error")].map((e) => (e.textContent ?? "").slice(0, 200));
    return {
      pageOverflow: Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth),
      mainOverflow: Math.max(0, main.scrollWidth - main.clientWidth),
      offenders,
      wideTables,
      errors
    };
  });
}

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

/**
 * Opens a page, recording console errors, failed requests and requests to any host but ours, and the
 * paths this page asked for (the server's own log also holds late requests of pages closed before).
 */
async function open(path: string): Promise<{page: Page; problems: Problems; requested: string[]}> {
  const page = await browser.context.newPage();
  const problems: Problems = {consoleErrors: [], failedRequests: [], otherHosts: []};
  const requested: string[] = [];
  page.on("console", (message) => message.type() === "error" && problems.consoleErrors.push(message.text()));
  page.on("pageerror", (error) => problems.consoleErrors.push(String(error)));
  page.on("requestfailed", (request) => failedForReal(request) && problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on("response", (response) => response.status() >= 400 && problems.failedRequests.push(`${response.url()}: HTTP ${response.status()}`));
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith(`${server.origin}/`)) requested.push(url.slice(server.origin.length));
    if (!url.startsWith(`${server.origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:")) problems.otherHosts.push(url);
  });
  await recordFirstChart(page);
  await page.goto(`${server.origin}${path}`);
  return {page, problems, requested};
}

const kpi = (page: Page, name: string, attribute = "data-value") => page.getAttribute(`[data-kpi=${name}]`, attribute).then(Number);

interface ExpectedKpis {
  revenue: number;
  orders: number;
  units: number;
  customers: number;
}

/** The KPIs computed independently in Node: DuckDB over the `orders` snapshot (net revenue unless told). */
async function expectedKpis(countries: string[], from: string | null, to: string | null, measure: "net" | "gross" = "net"): Promise<ExpectedKpis> {
  const conditions = ["TRUE"];
  if (countries.length) conditions.push(`country IN (${countries.map((country) => `'${country.replaceAll("'", "''")}'`).join(", ")})`);
  if (from) conditions.push(`invoice_date >= DATE '${from}'`);
  if (to) conditions.push(`invoice_date < DATE '${to}' + INTERVAL 1 DAY`);
  const [row] = await readSnapshot<ExpectedKpis>(
    WAREHOUSE,
    "orders",
    `SELECT coalesce(sum(${measure === "net" ? "net_revenue" : "revenue"}), 0) AS revenue, count(*) AS orders, coalesce(sum(units), 0)::BIGINT AS units, count(DISTINCT customer_id) AS customers
     FROM t WHERE ${conditions.join(" AND ")}`
  );
  return row!;
}

async function expectKpis(page: Page, expected: ExpectedKpis, attribute = "data-value") {
  expect((await kpi(page, "revenue", attribute)).toFixed(2)).toBe(expected.revenue.toFixed(2));
  expect(await kpi(page, "orders", attribute)).toBe(expected.orders);
  expect(await kpi(page, "units", attribute)).toBe(expected.units);
  // Distinct customers are counted in DuckDB-WASM: their card fills in after the others.
  await page.waitForSelector("[data-kpi=customers]:not([data-pending])", {timeout: 90_000});
  expect(await kpi(page, "customers", attribute)).toBe(expected.customers);
  expect((await kpi(page, "averageOrderValue", attribute)).toFixed(4)).toBe((expected.revenue / expected.orders).toFixed(4));
}

const kpiOrders = (page: Page, orders: number) =>
  page.waitForFunction((orders) => document.querySelector("[data-kpi=orders]")?.getAttribute("data-value") === String(orders), orders, {timeout: 90_000});

/** Ticks one country in the filter bar's picker (opening it first). */
async function pickCountry(page: Page, country: string) {
  if (!(await page.$("[data-filter-bar] .country-picker__menu[open]"))) await page.click("[data-filter-bar] .country-picker summary");
  await page.fill("[data-filter-bar] .country-picker input[type=search]", country.slice(0, 4));
  await page.check(`[data-filter-bar] input[name=country][value="${country}"]`);
  await page.keyboard.press("Escape");
}

describe("every page", () => {
  for (const [path, ready] of Object.entries(PAGES)) {
    it(`${path} loads with no console errors, failed requests or requests to another host, and has no error cell and no horizontal overflow at 1400 and 390 px, light and dark`, async () => {
      const {page, problems} = await open(path);
      try {
        await page.setViewportSize({width: 1400, height: 900});
        await page.waitForSelector(ready, {timeout: 150_000});
        // Unfold "How we know" (and every other folded section but the country picker): it must fit too.
        await page.evaluate(() =>
          document.querySelectorAll<HTMLDetailsElement>("#observablehq-main details:not(.country-picker__menu)").forEach((details) => (details.open = true))
        );
        await page.waitForLoadState("networkidle");
        await page.waitForFunction(() => document.querySelectorAll(".pending .loading").length === 0, null, {timeout: 90_000});
        expect(problems).toEqual({consoleErrors: [], failedRequests: [], otherHosts: []});
        mkdirSync(SCREENSHOTS, {recursive: true});
        for (const view of VIEWS) {
          await page.setViewportSize({width: view.width, height: view.height});
          await page.emulateMedia({colorScheme: view.colorScheme});
          // resize() redraws the charts on the next frames.
          await page.waitForTimeout(600);
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
          const measured = await layout(page);
          await page.screenshot({
            path: join(SCREENSHOTS, `${path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "overview"}-${view.name}.png`),
            fullPage: true
          });
          expect(measured, `${path} at ${view.name}`).toEqual({
            pageOverflow: 0,
            mainOverflow: 0,
            offenders: [],
            wideTables: view.width >= 1400 ? [] : measured.wideTables,
            errors: []
          });
        }
        expect(problems).toEqual({consoleErrors: [], failedRequests: [], otherHosts: []});
      } finally {
        await page.close();
      }
    }, 300_000);
  }
});

describe("Overview", () => {
  it("loads Plot as one bundle (and not d3), draws from the daily sales alone, and reads the invoices in DuckDB-WASM only after the first chart", async () => {
    const start = server.requests.length;
    const {page, problems} = await open("/");
    try {
      await page.waitForSelector("[data-kpi=orders][data-value]", {timeout: 90_000});
      const requests = server.requests.slice(start);
      // Plot is the components' one bundle; not /_node/…, Framework's node_modules form (one file per
      // package: 37 requests for Plot with d3), and no d3 at all.
      const libraries = requests
        .map((path) => path.replace(/\.[0-9a-f]{8}\.js$/, ".js"))
        .filter((path) => /\/(@observablehq\/plot|d3(-[a-z]+)*)@|\/plot\.js$/.test(path));
      expect(libraries).toEqual(["/_import/components/vendor/plot.js"]);
      // The KPIs and charts come from daily_sales; the invoices (for distinct customers) are read by
      // DuckDB-WASM once the first chart is drawn, and never decoded in the page.
      await page.waitForSelector("[data-kpi=customers]:not([data-pending])", {timeout: 90_000});
      const order = await page.evaluate(() => {
        const resources = performance.getEntriesByType("resource");
        return {
          ordersRequested: resources.find((entry) => entry.name.includes("/data/packed/orders."))?.startTime,
          ordersParquet: resources.filter((entry) => entry.name.includes("/data/orders.")).length,
          dailyDecoded: performance.getEntriesByName("snapshot decoded: daily_sales", "mark").length,
          firstChart: (window as unknown as {__firstChartMs: number}).__firstChartMs
        };
      });
      expect(order.dailyDecoded).toBe(1);
      expect(order.ordersParquet).toBe(0);
      expect(order.firstChart).toBeLessThan(order.ordersRequested!);
      expect(problems).toEqual({consoleErrors: [], failedRequests: [], otherHosts: []});
    } finally {
      await page.close();
    }
  });

  it("sums its top products from the monthly product mart and only the partial months' lines", async () => {
    const start = server.transfers.length;
    const {page, problems} = await open("/");
    try {
      await page.waitForSelector("[data-leaderboard=products] tbody tr", {timeout: 90_000});
      const transfers = server.transfers.slice(start).filter((transfer) => transfer.path.includes("/_file/data/packed/"));
      const read = new Map<string, number>();
      for (const {path, bytes} of transfers) {
        const name = path.replace(/^.*\/packed\/([a-z_]+)\..*$/, "$1");
        read.set(name, (read.get(name) ?? 0) + bytes);
      }
      // The invoices, too: the customer figures are counted from them.
      expect([...read.keys()].sort()).toEqual(["monthly_product_sales", "orders", "sales"]);
      // All of the year's months but two come from the mart; of the line items, only the blocks of those two
      // months (December 2010 from the 10th, and June 2011) are needed, over range requests. At this size
      // DuckDB-WASM's read-ahead (up to 16 MB past a sequential read) fetches most of the file anyway (78%;
      // before the mart, the whole file and more: 106%); at 10× the data it is 12 MB of 100.
      const packed = join(DIST, "_file", "data", "packed");
      const salesFile = statSync(
        join(
          packed,
          readdirSync(packed).find((name) => name.startsWith("sales."))!
        )
      ).size;
      expect(transfers.filter((transfer) => transfer.path.includes("/sales.") && transfer.status !== 206)).toEqual([]);
      expect(read.get("sales")! / salesFile).toBeLessThan(0.9);
      expect(problems).toEqual({consoleErrors: [], failedRequests: [], otherHosts: []});
    } finally {
      await page.close();
    }
  });

  it("shows net KPIs the snapshots give, for all time (against the last 6 months and the 6 before) and for a filtered period against its previous period; gross on request", async () => {
    const {page} = await open("/");
    try {
      await page.waitForSelector("[data-kpi=revenue]");
      const firstChartMs = await page.evaluate(() => (window as unknown as {__firstChartMs?: number}).__firstChartMs);
      timings.overviewFirstChart = Math.round(firstChartMs!);
      timings.overviewProductsAttached = Math.round(await markTime(page, "snapshot attached: monthly_product_sales", 90_000));

      const all = await expectedKpis([], null, null);
      await expectKpis(page, all);
      expect(await page.textContent("[data-kpi=revenue] .big")).toBe(`£${Math.round(all.revenue).toLocaleString("en-GB")}`);
      expect(await page.textContent("[data-kpi=revenue] h2")).toBe("Net revenue");
      // The data runs 1 Dec 2010 – 9 Dec 2011: "All" compares the last 6 months with the 6 before.
      await expectKpis(page, await expectedKpis([], "2011-06-10", "2011-12-09"), "data-current");
      await expectKpis(page, await expectedKpis([], "2010-12-10", "2011-06-09"), "data-previous");
      expect(await page.textContent("[data-section=kpis] .kpi-caption")).toContain("last 6 months vs the 6 before");
      expect(await page.getAttribute("button[data-preset=All]", "aria-pressed")).toBe("true");

      await page.goto(`${server.origin}/?country=France&country=Germany&from=2011-07-01&to=2011-09-30`);
      await page.waitForSelector("[data-kpi=revenue]");
      await expectKpis(page, await expectedKpis(["France", "Germany"], "2011-07-01", "2011-09-30"));
      await expectKpis(page, await expectedKpis(["France", "Germany"], "2011-03-31", "2011-06-30"), "data-previous");
      expect(await page.inputValue("input[name=from]")).toBe("01/07/2011");
      expect(await page.inputValue("input[name=to]")).toBe("30/09/2011");
      const chips = await page.locator("[data-filter-strip] .chip").allTextContents();
      expect(chips.slice(0, 2)).toEqual(["France×", "Germany×"]);
      expect(chips[2]).toMatch(/^1 Jul 2011 – 30 Sept? 2011×$/);

      await page.click("button[data-measure=gross]");
      await page.waitForURL(/revenue=gross/);
      const gross = await expectedKpis(["France", "Germany"], "2011-07-01", "2011-09-30", "gross");
      // To the penny: the page sums the daily mart, DuckDB here the invoices, in another order.
      await page.waitForFunction(
        (revenue) => Number(document.querySelector("[data-kpi=revenue]")?.getAttribute("data-value")).toFixed(2) === revenue,
        gross.revenue.toFixed(2)
      );
      await expectKpis(page, gross);
      expect(await page.textContent("[data-kpi=revenue] h2")).toBe("Gross revenue");
    } finally {
      await page.close();
    }
  });

  it("follows a filter change in every chart and in the URL; reload, back and forward restore it", async () => {
    const {page} = await open("/");
    try {
      await page.waitForSelector("[data-leaderboard=products] tbody tr", {timeout: 90_000});
      const charts = ["revenue-trend", "revenue-by-country", "revenue-year-month"];
      const snapshot = () => Promise.all([...charts.map((chart) => page.innerHTML(`[data-chart=${chart}]`)), page.innerHTML("[data-leaderboard=products]")]);
      const before = await snapshot();
      const all = await expectedKpis([], null, null);

      await pickCountry(page, "France");
      await page.waitForURL(/\?country=France$/);
      const france = await expectedKpis(["France"], null, null);
      await kpiOrders(page, france.orders);
      await page.waitForFunction(() => !document.querySelector("[data-leaderboard=products]")?.closest(".pending")?.querySelector(".loading"));
      await page.waitForSelector("[data-leaderboard=products] tbody tr");
      const after = await snapshot();
      [...charts, "products leaderboard"].forEach((chart, i) => expect(after[i], `${chart} changed`).not.toBe(before[i]));
      expect(await page.textContent("[data-chart=revenue-by-country]")).not.toContain("United Kingdom");
      expect(await page.textContent(".country-picker__summary")).toBe("France");

      await page.click("button[data-preset='Last 90 days']");
      await page.waitForURL(/\?country=France&from=2011-09-11&to=2011-12-09$/);
      await kpiOrders(page, (await expectedKpis(["France"], "2011-09-11", "2011-12-09")).orders);
      expect(await page.getAttribute("button[data-preset='Last 90 days']", "aria-pressed")).toBe("true");
      expect(await page.getAttribute("button[data-preset=All]", "aria-pressed")).toBe("false");

      await page.reload();
      await page.waitForSelector("[data-kpi=orders]");
      await expectKpis(page, await expectedKpis(["France"], "2011-09-11", "2011-12-09"));
      expect(await page.$$eval("[data-filter-bar] input[name=country]:checked", (boxes) => boxes.map((box) => (box as HTMLInputElement).value))).toEqual([
        "France"
      ]);
      expect(await page.inputValue("input[name=from]")).toBe("11/09/2011");

      await page.goBack();
      await page.waitForURL(/\?country=France$/);
      await kpiOrders(page, france.orders);
      expect(await page.inputValue("input[name=from]")).toBe("");
      await page.goBack();
      await page.waitForURL(`${server.origin}/`);
      await kpiOrders(page, all.orders);
      await page.goForward();
      await page.waitForURL(/\?country=France$/);
      await kpiOrders(page, france.orders);

      // Filter latency, reported (not asserted: no timing assertions in tests).
      const latencies = await measureFilterLatency(page, ["Germany", "EIRE", "Spain", "Netherlands", "Australia"], 30);
      timings.filterChangeP50 = Math.round(percentile(latencies, 50));
      timings.filterChangeP95 = Math.round(percentile(latencies, 95));

      // Back-to-back changes query the products once the filter is still: the last selection's, right.
      const australia = await readSnapshot<{stock_code: string; value: number}>(
        WAREHOUSE,
        "sales",
        "SELECT stock_code, sum(net_revenue) AS value FROM t WHERE country = 'Australia' GROUP BY stock_code ORDER BY value DESC, stock_code LIMIT 10"
      );
      await page.waitForFunction(
        (codes) => [...document.querySelectorAll("[data-leaderboard=products] tbody tr")].map((tr) => tr.getAttribute("data-row")).join() === codes,
        australia.map((row) => row.stock_code).join(),
        {timeout: 30_000}
      );
    } finally {
      await page.close();
    }
  });

  it("takes typed en-GB dates, names one it cannot read, and offers the UK / outside-UK shortcuts", async () => {
    const {page} = await open("/");
    try {
      await page.waitForSelector("[data-kpi=orders]");
      await page.fill("input[name=from]", "1/7/2011");
      await page.press("input[name=from]", "Enter");
      await page.waitForURL(/\?from=2011-07-01$/);
      await kpiOrders(page, (await expectedKpis([], "2011-07-01", null)).orders);
      expect(await page.inputValue("input[name=from]")).toBe("01/07/2011");

      await page.fill("input[name=to]", "31/02/2011");
      await page.press("input[name=to]", "Enter");
      await expect.poll(() => page.textContent(".filter-bar__error")).toBe("To: no such day: 31/02/2011; type a day as dd/mm/yyyy, e.g. 09/12/2011.");
      expect(new URL(page.url()).search).toBe("?from=2011-07-01");

      const countries = await readSnapshot<{country: string}>(WAREHOUSE, "daily_sales", "SELECT DISTINCT country FROM t WHERE country <> 'United Kingdom'");
      await page.click("[data-filter-bar] .country-picker summary");
      await page.click("[data-filter-bar] button[data-shortcut=abroad]");
      await page.waitForURL(/country=/);
      expect(new URL(page.url()).searchParams.getAll("country").length).toBe(countries.length);
      await kpiOrders(
        page,
        (
          await expectedKpis(
            countries.map((row) => row.country),
            "2011-07-01",
            null
          )
        ).orders
      );
      expect(await page.textContent(".country-picker__summary")).toBe("Outside UK");
      await page.click("[data-filter-bar] button[data-shortcut=home]");
      await page.waitForURL(/\?country=United\+Kingdom&from=2011-07-01$/);
      await kpiOrders(page, (await expectedKpis(["United Kingdom"], "2011-07-01", null)).orders);
    } finally {
      await page.close();
    }
  });

  it("ranks net: the leaderboards equal SQL over the snapshots, and clicking a bar or a product filters by it", async () => {
    const {page} = await open("/?from=2011-09-11&to=2011-12-09");
    try {
      await page.waitForSelector("[data-leaderboard=products] tbody tr", {timeout: 90_000});
      const products = await readSnapshot<{stock_code: string; value: number; previous: number}>(
        WAREHOUSE,
        "sales",
        `SELECT stock_code, sum(net_revenue) FILTER (WHERE invoice_date >= DATE '2011-09-11') AS value,
           coalesce(sum(net_revenue) FILTER (WHERE invoice_date < DATE '2011-09-11'), 0) AS previous
         FROM t WHERE invoice_date >= DATE '2011-06-13' AND invoice_date < DATE '2011-12-10'
         GROUP BY stock_code HAVING value IS NOT NULL ORDER BY value DESC, stock_code LIMIT 10`
      );
      const rows = () =>
        page.$$eval("[data-leaderboard=products] tbody tr", (trs) =>
          trs.map((tr) => [
            tr.getAttribute("data-row"),
            Number(tr.querySelector("[data-column=value]")!.getAttribute("data-value")),
            tr.querySelector("[data-column=change]")!.getAttribute("data-value")
          ])
        );
      expect((await rows()).map(([code, value, change]) => [code, (value as number).toFixed(2), change === "" ? null : Number(change).toFixed(6)])).toEqual(
        products.map((row) => [row.stock_code, row.value.toFixed(2), row.previous ? (row.value / row.previous - 1).toFixed(6) : null])
      );

      const countries = await readSnapshot<{country: string; value: number}>(
        WAREHOUSE,
        "daily_sales",
        "SELECT country, sum(net_revenue) AS value FROM t WHERE date BETWEEN DATE '2011-09-11' AND DATE '2011-12-09' GROUP BY country ORDER BY value DESC, country LIMIT 10"
      );
      expect(
        await page.$$eval("[data-leaderboard=countries] tbody tr", (trs) =>
          trs.map((tr) => [tr.getAttribute("data-row"), Number(tr.querySelector("[data-column=value]")!.getAttribute("data-value")).toFixed(2)])
        )
      ).toEqual(countries.map((row) => [row.country, row.value.toFixed(2)]));

      const customers = await readSnapshot<{customer_id: number; value: number; previous: number; country: string}>(
        WAREHOUSE,
        "orders",
        `SELECT customer_id, sum(net_revenue) FILTER (WHERE invoice_date >= DATE '2011-09-11') AS value,
           coalesce(sum(net_revenue) FILTER (WHERE invoice_date < DATE '2011-09-11'), 0) AS previous,
           arg_max(country, invoice_date) FILTER (WHERE invoice_date >= DATE '2011-09-11') AS country
         FROM t WHERE customer_id IS NOT NULL AND invoice_date >= DATE '2011-06-13' AND invoice_date < DATE '2011-12-10'
         GROUP BY customer_id HAVING value IS NOT NULL ORDER BY value DESC, customer_id::VARCHAR LIMIT 10`
      );
      await page.waitForSelector("[data-leaderboard=customers] tbody tr", {timeout: 90_000});
      expect(
        await page.$$eval("[data-leaderboard=customers] tbody tr", (trs) =>
          trs.map((tr) => [
            tr.getAttribute("data-row"),
            Number(tr.querySelector("[data-column=value]")!.getAttribute("data-value")).toFixed(2),
            tr.querySelector("[data-column=change]")!.getAttribute("data-value"),
            tr.querySelector(".muted")?.textContent
          ])
        )
      ).toEqual(customers.map((row) => [String(row.customer_id), row.value.toFixed(2), row.previous ? String(row.value / row.previous - 1) : "", row.country]));

      // Click-to-filter: the Germany bar, then again to remove it.
      await page.click("[data-chart=revenue-by-country] rect[data-key=Germany]");
      await page.waitForURL(/\?country=Germany&from=2011-09-11&to=2011-12-09$/);
      await kpiOrders(page, (await expectedKpis(["Germany"], "2011-09-11", "2011-12-09")).orders);
      await page.click("[data-chart=revenue-by-country] rect[data-key=Germany]");
      await page.waitForURL(/\?from=2011-09-11&to=2011-12-09$/);

      // A product: the KPIs come from its line items.
      const top = products[0]!.stock_code;
      await page.click(`[data-leaderboard=products] tr[data-row="${top}"] button`);
      await page.waitForURL(new RegExp(`product=${top}`));
      const [expected] = await readSnapshot<{orders: number; revenue: number}>(
        WAREHOUSE,
        "sales",
        `SELECT count(DISTINCT invoice_no)::INTEGER AS orders, sum(net_revenue) AS revenue FROM t
         WHERE stock_code = '${top}' AND invoice_date >= DATE '2011-09-11' AND invoice_date < DATE '2011-12-10'`
      );
      await kpiOrders(page, expected!.orders);
      expect((await kpi(page, "revenue")).toFixed(2)).toBe(expected!.revenue.toFixed(2));
      expect(await page.locator("[data-filter-strip] .chip").first().textContent()).toContain(top);
    } finally {
      await page.close();
    }
  });
});

describe("Sales", () => {
  const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const cells = (page: Page) =>
    page.$$eval("[data-chart=weekday-hour] rect[data-value]", (rects) =>
      rects.map((rect) => [rect.getAttribute("data-y"), Number(rect.getAttribute("data-x")), Number(rect.getAttribute("data-value")).toFixed(2)] as const)
    );
  const sorted = <T extends readonly [string | null, number, string]>(rows: T[]) =>
    [...rows].sort((a, b) => (a[0]! + String(a[1]).padStart(2)).localeCompare(b[0]! + String(b[1]).padStart(2)));

  /** The rhythm in Node: DuckDB over a snapshot (`orders`, or the line items of `sales`) under `where`. */
  const expectedCells = async (snapshot: "orders" | "sales", where: string) =>
    (
      await readSnapshot<{weekday: number; hour: number; value: number}>(
        WAREHOUSE,
        snapshot,
        `SELECT isodow(invoice_date)::INTEGER - 1 AS weekday, hour(invoice_date)::INTEGER AS hour, sum(net_revenue) AS value FROM t
         WHERE ${where} AND invoice_date >= DATE '2011-07-01' AND invoice_date < DATE '2011-10-01' GROUP BY ALL`
      )
    ).map((row) => [WEEKDAYS[row.weekday]!, row.hour, row.value.toFixed(2)] as const);

  it("sums the selection's orders by weekday and hour, from the invoices, and from a product's lines under a product filter", async () => {
    const {page, problems} = await open("/sales?country=France&from=2011-07-01&to=2011-09-30");
    try {
      await page.waitForSelector("[data-chart=weekday-hour] rect[data-value]", {timeout: 90_000});
      const expected = await expectedCells("orders", "country = 'France'");
      expect(expected.length).toBeGreaterThan(10);
      expect(sorted(await cells(page))).toEqual(sorted(expected));

      // In a page of its own: navigating this one away would abort its reads still in flight (DuckDB-WASM reads
      // ahead), which the browser reports as failed requests although nothing failed.
      const product = await open("/sales?product=85123A&from=2011-07-01&to=2011-09-30");
      try {
        await product.page.waitForSelector("[data-chart=weekday-hour] rect[data-value]", {timeout: 90_000});
        expect(sorted(await cells(product.page))).toEqual(sorted(await expectedCells("sales", "stock_code = '85123A'")));
        expect(product.problems).toEqual({consoleErrors: [], failedRequests: [], otherHosts: []});
      } finally {
        await product.page.close();
      }
      expect(problems).toEqual({consoleErrors: [], failedRequests: [], otherHosts: []});
    } finally {
      await page.close();
    }
  });
});

describe("Data quality and Pipeline", () => {
  it("show the warehouse's checks, a reconciliation that balances, and each snapshot's lineage", async () => {
    const manifest = JSON.parse(readFileSync(join(WAREHOUSE, "manifest.json"), "utf8")) as {
      tables: Record<string, {sha256: string; rows: number; runId: string}>;
    };
    const checks = await readSnapshot<{n: number; failed: number}>(
      WAREHOUSE,
      "data_quality",
      "SELECT count(*)::INTEGER AS n, count(*) FILTER (status = 'fail')::INTEGER AS failed FROM t"
    );
    const {page} = await open("/data-quality");
    try {
      await page.waitForSelector("[data-reconciliation]");
      expect(await page.getAttribute("[data-difference]", "data-difference")).toBe("0");
      expect(await page.textContent("[data-rejected-files]")).toContain("No file was rejected");
      expect(await page.textContent("[data-reconciliation]")).toContain(manifest.tables.sales!.rows.toLocaleString("en-GB"));
      expect(await page.getAttribute("[data-table=checks]", "data-rows")).toBe(String(checks[0]!.n));
      expect(await page.locator("[data-table=checks] tr[data-row] td[data-column=status][data-value=pass]", {hasText: "✓ pass"}).count()).toBe(
        checks[0]!.n - checks[0]!.failed
      );
      expect(await page.getAttribute("[data-kpi=passed]", "data-value")).toBe(String(checks[0]!.n - checks[0]!.failed));

      await page.goto(`${server.origin}/pipeline`);
      await page.waitForSelector("[data-lineage=sales]");
      const lineage = await page.textContent("[data-lineage=sales]");
      expect(lineage).toContain(manifest.tables.sales!.sha256);
      expect(lineage).toContain(manifest.tables.sales!.runId);
      for (const stage of ["raw files", "ingest", "clean", "marts", "quality"])
        expect(await page.locator(`.stage-graph [data-stage="${stage}"]`).count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});

describe("downloads", () => {
  const FILTER = {country: "Iceland", from: "2011-01-01", to: "2011-06-30"};
  const expectedRows = () =>
    readSnapshot<Record<string, unknown>>(
      WAREHOUSE,
      "sales",
      `SELECT * FROM t WHERE country = '${FILTER.country}' AND invoice_date >= DATE '${FILTER.from}' AND invoice_date < DATE '${FILTER.to}' + INTERVAL 1 DAY
     ORDER BY invoice_date, source_file, source_line`
    );

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
        value === null
          ? ""
          : value instanceof Date
            ? value.toISOString().slice(0, 19).replace("T", " ")
            : typeof value === "object"
              ? String(value)
              : String(value);
      expect(csv.slice(1)).toEqual(expected.map((row) => columns.map((column) => cell(row[column]))));

      const parquet = await download(page, "[data-section=line-items] button[data-download=parquet]");
      const fromParquet = await readSnapshot<Record<string, unknown>>(WAREHOUSE, "sales", `SELECT * FROM read_parquet('${parquet.replaceAll("'", "''")}')`);
      expect(fromParquet.map((row) => [row.source_file, row.source_line, row.invoice_no, row.stock_code, row.quantity, row.revenue])).toEqual(
        expected.map((row) => [row.source_file, row.source_line, row.invoice_no, row.stock_code, row.quantity, row.revenue])
      );
    } finally {
      await page.close();
    }
  });

  it("shows the first 10,000 lines by date when the filter holds more, and says how many there are", async () => {
    const {page} = await open("/sales");
    try {
      await page.waitForSelector("[data-section=line-items] .virtual-table-wrap", {timeout: 90_000});
      const [{lines}] = await readSnapshot<{lines: number}>(WAREHOUSE, "sales", "SELECT count(*)::INTEGER AS lines FROM t");
      expect(await page.getAttribute("[data-section=line-items] .virtual-table-wrap", "data-rows")).toBe("10000");
      expect(await page.textContent("[data-note=line-items-shown]")).toContain(`The first 10,000 of ${lines!.toLocaleString("en-GB")} lines by date`);
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
    const expected = await readSnapshot<{country: string; revenue: number; lines: number}>(
      WAREHOUSE,
      "sales",
      "SELECT country, round(sum(revenue), 2) AS revenue, count(*)::INTEGER AS lines FROM t GROUP BY country ORDER BY revenue DESC LIMIT 5"
    );
    const {page} = await open("/notebook-template");
    try {
      const table = page.locator("table", {has: page.locator("thead", {hasText: "lines"})});
      await table.waitFor({timeout: 90_000});
      const rows = await table
        .locator("tbody tr")
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim()).filter((text) => text !== "")));
      expect(rows.map((row) => row[0])).toEqual(expected.map((row) => row.country));
      expect(rows.map((row) => Number(row[1]!.replaceAll(",", "")))).toEqual(expected.map((row) => row.revenue));
      expect(rows.map((row) => Number(row[2]!.replaceAll(",", "")))).toEqual(expected.map((row) => row.lines));
    } finally {
      await page.close();
    }
  });

  it("the SQL console runs a typed query, keeps it in the URL, and shows errors in place", async () => {
    const query =
      "SELECT stock_code, count(*)::INTEGER AS lines, sum(quantity)::DOUBLE AS units FROM sales WHERE country = 'Japan' GROUP BY stock_code ORDER BY units DESC, stock_code LIMIT 3";
    const expected = await readSnapshot<{stock_code: string; lines: number; units: number}>(WAREHOUSE, "sales", query.replace("FROM sales", "FROM t"));
    const {page, requested} = await open("/sql");
    try {
      await page.waitForSelector("[data-sql-result] .virtual-table-wrap", {timeout: 90_000});
      // The default query reads a mart, the same few rows at any size of the data, and no line table.
      const countries = await readSnapshot<{country: string; lines: number}>(
        WAREHOUSE,
        "country_sales",
        "SELECT country, lines FROM t ORDER BY net_revenue DESC LIMIT 10"
      );
      expect(
        await page
          .locator("[data-sql-result] tbody tr:not(.spacer)")
          .evaluateAll((trs) => trs.map((tr) => [tr.querySelector("td")!.textContent, tr.querySelector("td:last-child")!.textContent]))
      ).toEqual(countries.map((row) => [row.country, String(row.lines)]));
      expect(requested.filter((path) => path.includes("/packed/"))).toEqual([]);
      await page.fill("textarea[name=sql]", query);
      await page.click("button:has-text('Run')");
      await page.waitForURL((url) => url.searchParams.get("sql") === query);
      const readResult = () =>
        page
          .locator("[data-sql-result] tbody tr:not(.spacer)")
          .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
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

      // A misspelt table: the nearest snapshot and the list of them, not DuckDB's guess from its own catalog.
      await page.fill("textarea[name=sql]", "SELECT count(*) FROM ordres");
      await page.click("button:has-text('Run')");
      await expect
        .poll(() => page.textContent("[data-sql-error]").catch(() => null), {timeout: 30_000})
        .toMatch(/Did you mean "orders"\? The snapshots you can query: .*sales/);
      expect(await page.textContent("[data-sql-error]")).not.toContain("pg_");
    } finally {
      await page.close();
    }
  });
});
