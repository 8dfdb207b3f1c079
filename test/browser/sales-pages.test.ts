/**
 * The sales and product model pages (Forecast, Recommendations, Market basket, Anomalies, Action items) in
 * Debian's Chromium against the built site, compared with what DuckDB in Node computes from the same
 * snapshots. The site is built once per test run (buildSite: a lock and a stamp).
 */
import {DuckDBInstance} from "@duckdb/node-api";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {launchChromium, serveStatic, type LaunchedBrowser, type StaticServer} from "../helpers/browser.js";
import {PROJECT_ROOT} from "../helpers/fixtures.js";
import {buildSite, expectAnswerFirst, parseCsv} from "../helpers/site.js";
import {RISK_THRESHOLDS} from "../../src/components/risk-levels.js";

const SNAPSHOTS = join(PROJECT_ROOT, "data", "warehouse", "snapshots");

let server: StaticServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  const dist = await buildSite();
  server = await serveStatic(dist);
  browser = await launchChromium();
}, 1_200_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs SQL in a fresh DuckDB over the named snapshots (each a view of its Parquet file, by its own name). */
async function sql<T = Record<string, unknown>>(names: readonly string[], text: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    for (const name of names) await connection.run(`CREATE VIEW ${name} AS FROM read_parquet('${join(SNAPSHOTS, `${name}.parquet`).replaceAll("'", "''")}')`);
    return await queryRows<T>(connection, text);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Opens a page, collecting console errors and uncaught exceptions (every test expects none). */
async function open(path: string): Promise<{page: Page; errors: string[]}> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${server.origin}${path}`);
  return {page, errors};
}

async function download(page: Page, selector: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return (await file.path())!;
}

/** A value as the site's CSV writes it: timestamps as `YYYY-MM-DD HH:MM:SS`, formula-like text neutralised. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19).replace("T", " ");
  }
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
  return String(value);
}

/** Equal up to floating-point summation order. */
function expectClose(actual: number, expected: number) {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

const numberAttribute = (page: Page, selector: string, name: string) => page.getAttribute(selector, name).then(Number);

describe("Forecast", () => {
  it("shows the snapshot's next week and month, its backtest MAPE and MAE, and says whether the forecast beats the baselines", async () => {
    const [nextWeek, nextMonth] = await Promise.all(
      ["week", "month"].map(
        async (granularity) =>
          (
            await sql<{forecast: number}>(
              ["sales_forecast"],
              `SELECT forecast FROM sales_forecast WHERE granularity = '${granularity}' AND kind = 'forecast' AND horizon = 1`
            )
          )[0]!.forecast
      )
    );
    const backtest = await sql<{granularity: string; method: string; horizon: number; mape: number; mae: number}>(
      ["sales_forecast_backtest"],
      `SELECT granularity, method, horizon, avg(abs_pct_error) AS mape, avg(abs(actual - forecast)) AS mae
       FROM sales_forecast_backtest WHERE forecast IS NOT NULL GROUP BY ALL ORDER BY ALL`
    );
    const partialWeeks = await sql<{n: number}>(
      ["sales_forecast"],
      "SELECT count(*)::INTEGER AS n FROM sales_forecast WHERE granularity = 'week' AND kind = 'actual' AND is_partial"
    );
    // The verdict, worked out here from the backtest: mean MAPE over the horizons, published method against the best baseline.
    const means = await sql<{method: string; role: string; mape: number}>(
      ["sales_forecast_backtest"],
      `SELECT method, any_value(role) AS role, avg(mape) AS mape FROM (SELECT method, role, horizon, avg(abs_pct_error) AS mape FROM sales_forecast_backtest
       WHERE granularity = 'week' GROUP BY ALL) GROUP BY method`
    );
    const published = means.find((row) => row.role === "published")!;
    const bestBaseline = means
      .filter((row) => ["naive", "mean_last_4_weeks"].includes(row.method) && row.method !== published.method)
      .sort((a, b) => a.mape - b.mape)[0]!;
    const expectedOutcome = Math.abs(published.mape - bestBaseline.mape) < 0.01 ? "tie" : published.mape < bestBaseline.mape ? "beats" : "worse";

    const {page, errors} = await open("/forecast");
    try {
      await page.waitForSelector("[data-chart=past-forecasts-week] svg", {timeout: 90_000});
      expect(await page.textContent("[data-section=forecast-answer]")).toContain(`should bring about £${Math.round(nextWeek).toLocaleString("en-GB")}`);
      // Past forecasts against actuals: one dashed line per backtest horizon of the method used, beside the actual revenue.
      const pastHorizons = await sql<{horizon: number}>(
        ["sales_forecast_backtest"],
        "SELECT DISTINCT horizon FROM sales_forecast_backtest WHERE granularity = 'week' AND role = 'published' AND forecast IS NOT NULL ORDER BY horizon"
      );
      expect(await page.locator("[data-chart=past-forecasts-week] svg g[aria-label=line]").count()).toBe(1 + pastHorizons.length);
      await page.click("[data-section=how-we-know] > summary");
      await page.waitForSelector("[data-backtest=month]", {timeout: 90_000});
      expect(await numberAttribute(page, "[data-stat=next-week]", "data-value")).toBe(nextWeek);
      expect(await numberAttribute(page, "[data-stat=next-month]", "data-value")).toBe(nextMonth);
      expect(await page.textContent("[data-stat=next-week] .big")).toBe(`£${Math.round(nextWeek).toLocaleString("en-GB")}`);
      expect(backtest.length).toBeGreaterThan(10);
      for (const row of backtest) {
        const cell = `[data-backtest=${row.granularity}] tr[data-method=${row.method}] td[data-horizon="${row.horizon}"]`;
        expectClose(await numberAttribute(page, `${cell}[data-mape]`, "data-mape"), row.mape);
        expectClose(await numberAttribute(page, `${cell}[data-mae]`, "data-mae"), row.mae);
      }
      expect(await page.locator("[data-backtest=week] tbody tr").count()).toBe(
        new Set(backtest.filter((row) => row.granularity === "week").map((row) => row.method)).size
      );
      expect(await page.getAttribute("[data-verdict=week]", "data-outcome")).toBe(expectedOutcome);
      // On the shipped data the published method and the mean of 4 weeks are effectively tied: the page says so.
      if (expectedOutcome === "tie") expect(await page.textContent("[data-verdict=week]")).toContain("effectively a tie");
      expect(await page.getAttribute("[data-verdict=month]", "data-outcome")).toMatch(/^(baseline|beats|tie|worse)$/);
      expect(await page.locator("[data-partial-periods=week] tbody tr").count()).toBe(partialWeeks[0]!.n);
      expect(await page.locator("[data-chart=forecast-week] svg").count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("Recommendations", () => {
  const readList = (page: Page, mode: string) =>
    page.locator(`[data-recommendations=${mode}] tbody tr`).evaluateAll((rows) =>
      rows.map((row) => ({
        rank: Number(row.getAttribute("data-rank")),
        stock_code: row.getAttribute("data-stock-code"),
        score: Number(row.getAttribute("data-score")),
        reason: row.lastElementChild!.textContent
      }))
    );

  it("says what to promote overall and by segment, as the snapshot counts it, with the recommender's evaluation below", async () => {
    const top = await sql<{stock_code: string; description: string; customers: number}>(
      ["recommendations"],
      `SELECT stock_code, any_value(description) AS description, count(DISTINCT customer_id)::INTEGER AS customers FROM recommendations
       WHERE mode = 'discover' AND rank <= 10 GROUP BY stock_code ORDER BY customers DESC, stock_code LIMIT 15`
    );
    const bySegment = await sql<{customers: number}>(
      ["recommendations", "customer_segments"],
      `SELECT count(*)::INTEGER AS customers FROM recommendations AS r JOIN customer_segments AS s USING (customer_id)
       WHERE r.mode = 'discover' AND r.rank <= 10 AND s.segment = 'High value loyal' GROUP BY r.stock_code ORDER BY customers DESC, r.stock_code LIMIT 5`
    );
    const [{precision}] = await sql<{precision: number}>(
      ["model_metrics"],
      "SELECT value AS precision FROM model_metrics WHERE model = 'recommendations' AND method = 'blend:buy_again' AND metric = 'precision_at_10'"
    );
    const {page, errors} = await open("/recommendations");
    try {
      await page.waitForSelector("[data-chart=recommended-overall] svg", {timeout: 90_000});
      const counts = (chart: string) =>
        page.$$eval(`[data-chart=${chart}] svg g[aria-label=text] text`, (texts) => texts.map((text) => Number(text.textContent!.replaceAll(",", ""))));
      expect(await counts("recommended-overall")).toEqual(top.map((row) => row.customers));
      expect(await counts("recommended-high-value-loyal")).toEqual(bySegment.map((row) => row.customers));
      expect((await page.textContent("[data-section=recommendations-answer]"))!.replace(/\s+/g, " ")).toContain(
        `promote ${top[0]!.description} (in the top 10 of ${top[0]!.customers.toLocaleString("en-GB")} customers`
      );
      expectClose(
        await numberAttribute(page, "[data-evaluation=recommendations] tr[data-method=blend] td[data-mode=buy_again][data-precision]", "data-precision"),
        precision
      );

      // Buy again: the same counts over the other list.
      const [{customers: firstBuyAgain}] = await sql<{customers: number}>(
        ["recommendations"],
        "SELECT count(DISTINCT customer_id)::INTEGER AS customers FROM recommendations WHERE mode = 'buy_again' AND rank <= 10 GROUP BY stock_code ORDER BY customers DESC, stock_code LIMIT 1"
      );
      await page.getByLabel("Buy again").check();
      await expect.poll(() => counts("recommended-overall").then((values) => values[0])).toBe(firstBuyAgain);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("opens one customer's page from an old ?customer= link, with their ten recommendations in each list as the snapshot has them", async () => {
    const [{customer_id: id}] = await sql<{customer_id: number}>(
      ["recommendations"],
      "SELECT DISTINCT customer_id FROM recommendations ORDER BY customer_id LIMIT 1 OFFSET 1000"
    );
    const expected = await sql<{mode: string; rank: number; stock_code: string; score: number; reason: string}>(
      ["recommendations"],
      `SELECT mode, rank, stock_code, score, reason FROM recommendations WHERE customer_id = ${id} ORDER BY mode, rank`
    );
    expect(expected).toHaveLength(20);
    const {page, errors} = await open(`/recommendations?customer=${id}`);
    try {
      await page.waitForURL(`${server.origin}/customer?id=${id}`, {timeout: 60_000});
      await page.waitForSelector("[data-section=recommendations] [data-recommendations=discover]", {timeout: 90_000});
      for (const mode of ["buy_again", "discover"]) {
        expect(await readList(page, mode), mode).toEqual(
          expected.filter((row) => row.mode === mode).map(({rank, stock_code, score, reason}) => ({rank, stock_code, score, reason}))
        );
      }
      // The lookup box on the Recommendations page opens the same page; a bad number says what is wrong.
      await page.goto(`${server.origin}/recommendations`);
      await page.fill("input[name=customer]", "12a47");
      await page.press("input[name=customer]", "Enter");
      await expect
        .poll(() => page.textContent("[data-lookup-state=error]").catch(() => null))
        .toBe('"12a47" is not a customer id: ids are whole numbers such as 12347.');
      await page.fill("input[name=customer]", String(id));
      await page.press("input[name=customer]", "Enter");
      await page.waitForURL(`${server.origin}/customer?id=${id}`);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("Market basket", () => {
  const RULE_COLUMNS = "scope, antecedent_codes, antecedent, consequent_codes, consequent, size, invoices, antecedent_invoices, support, confidence, lift";
  const ORDER = "lift DESC, confidence DESC, invoices DESC, antecedent_codes, consequent_codes";

  it("shows and downloads exactly the rules a scope and thresholds select, and follows a scope change in the URL", async () => {
    const expected = await sql<Record<string, unknown>>(
      ["basket_rules"],
      `SELECT ${RULE_COLUMNS} FROM basket_rules WHERE scope = 'Germany' AND confidence >= 0.8 AND lift >= 5 ORDER BY ${ORDER}`
    );
    const france = await sql<{n: number}>(
      ["basket_rules"],
      "SELECT count(*)::INTEGER AS n FROM basket_rules WHERE scope = 'France' AND confidence >= 0.8 AND lift >= 5"
    );
    const [firstBundle] = await sql<{stock_codes: string}>(
      ["basket_suggestions"],
      "SELECT stock_codes FROM basket_suggestions WHERE scope = 'France' AND kind = 'bundle' AND rank = 1"
    );
    expect(expected.length).toBeGreaterThan(5);

    const {page, errors} = await open("/market-basket?scope=Germany&confidence=0.8&lift=5");
    try {
      await page.waitForSelector("[data-section=rules] table", {timeout: 90_000});
      const [bundle] = await sql<{products: string}>(
        ["basket_suggestions"],
        "SELECT products FROM basket_suggestions WHERE scope = 'Germany' AND kind = 'bundle' AND rank = 1"
      );
      expect(await page.textContent("[data-section=basket-answer]")).toContain(`Offer ${bundle!.products} as a set`);
      expect(await page.getAttribute("[data-section=rules]", "data-count")).toBe(String(expected.length));
      const shown = await page
        .locator("[data-section=rules] tbody tr[data-row]")
        .evaluateAll((rows) =>
          rows.slice(0, 10).map((row) => ["antecedent", "consequent"].map((column) => row.querySelector(`td[data-column=${column}]`)!.textContent))
        );
      expect(shown).toEqual(expected.slice(0, 10).map((rule) => [rule.antecedent, rule.consequent]));

      const csv = parseCsv(readFileSync(await download(page, "[data-section=rules] button[data-download=csv]"), "utf8"));
      const columns = RULE_COLUMNS.split(", ");
      expect(csv[0]).toEqual(columns);
      expect(csv.slice(1)).toEqual(expected.map((rule) => columns.map((column) => csvCell(rule[column]))));

      await page.selectOption("select[name=scope]", "France");
      await page.waitForURL((url) => url.searchParams.get("scope") === "France" && url.searchParams.get("confidence") === "0.8");
      await page.waitForFunction((n) => document.querySelector("[data-section=rules]")?.getAttribute("data-count") === String(n), france[0]!.n);
      expect(await page.getAttribute("[data-suggestions=bundle] li[data-rank='1']", "data-stock-codes")).toBe(firstBundle!.stock_codes);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("Anomalies", () => {
  const WHERE =
    "a.country = 'United Kingdom' AND a.severity IN ('Critical', 'High') AND a.invoice_date >= DATE '2011-06-01' AND a.invoice_date < DATE '2011-12-09' + INTERVAL 1 DAY";
  const LINES = `SELECT a.* FROM anomalies AS a WHERE ${WHERE}`;

  it("ranks flagged lines by net revenue at stake, marks the cancelled ones, and downloads exactly the filtered lines in that order, as CSV and Parquet", async () => {
    const expected = await sql<Record<string, unknown>>(
      ["anomalies"],
      `${LINES} ORDER BY a.net_revenue DESC, a.severity_rank, a.invoice_date, source_file, source_line`
    );
    expect(expected.length).toBeGreaterThan(20);
    const total = expected.reduce((sum, row) => sum + (row.net_revenue as number), 0);
    const cancelled = expected.filter((row) => (row.returned_quantity as number) > 0);
    expect(cancelled.length).toBeGreaterThan(0);

    const {page, errors} = await open("/anomalies?country=United+Kingdom&from=2011-06-01&severity=Critical,High&sort=revenue");
    try {
      await page.waitForSelector("[data-section=anomalies] table", {timeout: 90_000});
      expect(await page.getAttribute("[data-section=anomalies]", "data-count")).toBe(String(expected.length));
      expect(await numberAttribute(page, "[data-stat=lines]", "data-value")).toBe(expected.length);
      expectClose(await numberAttribute(page, "[data-stat=revenue]", "data-value"), total);
      expect(await numberAttribute(page, "[data-stat=cancelled]", "data-value")).toBe(cancelled.length);
      expect(await page.$eval("select[name=sort]", (select) => (select as HTMLSelectElement).selectedOptions[0]!.textContent)).toBe(
        "Revenue at stake (largest first)"
      );
      const key = (row: Record<string, unknown>) => `${row.source_file}:${row.source_line}`;
      expect(await page.$$eval("[data-section=anomalies] tbody tr[data-row]", (rows) => rows.slice(0, 10).map((row) => row.getAttribute("data-row")))).toEqual(
        expected.slice(0, 10).map(key)
      );
      expect(await page.locator("[data-section=anomalies] tbody tr.cancelled").count()).toBe(
        expected.slice(0, 20).filter((row) => (row.returned_quantity as number) > 0).length
      );

      const csv = parseCsv(readFileSync(await download(page, "[data-section=anomalies] button[data-download=csv]"), "utf8"));
      const columns = Object.keys(expected[0]!);
      expect(csv[0]).toEqual(columns);
      expect(csv.slice(1)).toEqual(expected.map((row) => columns.map((column) => csvCell(row[column]))));

      const parquet = await download(page, "[data-section=anomalies] button[data-download=parquet]");
      const fromParquet = await sql<Record<string, unknown>>([], `SELECT * FROM read_parquet('${parquet.replaceAll("'", "''")}')`);
      expect(fromParquet).toEqual(expected);

      // Back to the default order: severity first, and within it net revenue at stake.
      await page.selectOption("select[name=sort]", {label: "Severity, then revenue at stake"});
      await page.waitForURL((url) => !url.searchParams.has("sort"));
      const bySeverity = [...expected].sort(
        (a, b) => (a.severity_rank as number) - (b.severity_rank as number) || (b.net_revenue as number) - (a.net_revenue as number)
      );
      await expect
        .poll(() =>
          page.locator("[data-section=anomalies] tbody tr[data-row]").evaluateAll((rows) => rows.slice(0, 5).map((row) => row.getAttribute("data-row")))
        )
        .toEqual(bySeverity.slice(0, 5).map(key));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("ranks by revenue before cancellations when Gross is chosen", async () => {
    const expected = await sql<Record<string, unknown>>(
      ["anomalies"],
      `${LINES} ORDER BY a.revenue DESC, a.severity_rank, a.invoice_date, source_file, source_line`
    );
    const {page, errors} = await open("/anomalies?country=United+Kingdom&from=2011-06-01&severity=Critical,High&sort=revenue&revenue=gross");
    try {
      await page.waitForSelector("[data-section=anomalies] table", {timeout: 90_000});
      expectClose(
        await numberAttribute(page, "[data-stat=revenue]", "data-value"),
        expected.reduce((sum, row) => sum + (row.revenue as number), 0)
      );
      expect(await page.$$eval("[data-section=anomalies] tbody tr[data-row]", (rows) => rows.slice(0, 5).map((row) => row.getAttribute("data-row")))).toEqual(
        expected.slice(0, 5).map((row) => `${row.source_file}:${row.source_line}`)
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("Action items", () => {
  it("counts and values every action item as SQL on the snapshots does, and downloads the full list", async () => {
    const [churn] = await sql<{count: number; value: number}>(
      ["churn_scores"],
      `SELECT count(*)::INTEGER AS count, sum(value_at_risk) AS value FROM churn_scores
       WHERE risk_level IN ('High', 'Medium') AND expected_spend_90d >= (SELECT quantile_cont(expected_spend_90d, 0.8) FROM churn_scores)`
    );
    const churnIds = await sql<{customer_id: number}>(
      ["churn_scores"],
      `SELECT customer_id FROM churn_scores
       WHERE risk_level IN ('High', 'Medium') AND expected_spend_90d >= (SELECT quantile_cont(expected_spend_90d, 0.8) FROM churn_scores)
       ORDER BY value_at_risk DESC, customer_id`
    );
    const [bundles] = await sql<{count: number; value: number}>(
      ["basket_suggestions", "product_demand"],
      `WITH bundles AS (SELECT * FROM basket_suggestions WHERE scope = 'All countries' AND kind = 'bundle'),
            codes AS (SELECT DISTINCT trim(unnest(string_split(stock_codes, ','))) AS stock_code FROM bundles)
       SELECT (SELECT count(*)::INTEGER FROM bundles) AS count, coalesce(sum(d.revenue_last_4_weeks), 0) AS value FROM codes LEFT JOIN product_demand AS d USING (stock_code)`
    );
    const [rising] = await sql<{count: number; value: number}>(
      ["product_demand"],
      "SELECT count(*)::INTEGER AS count, sum(revenue_last_4_weeks - revenue_prior_4_weeks) AS value FROM product_demand WHERE trend = 'rising'"
    );
    // Net of cancellations: lines cancelled in full afterwards are left out, the rest count their net revenue.
    const [anomalies] = await sql<{count: number; value: number}>(
      ["anomalies", "sales"],
      "SELECT count(*)::INTEGER AS count, sum(s.net_revenue) AS value FROM anomalies AS a JOIN sales AS s USING (source_file, source_line) WHERE a.severity_rank <= 2 AND s.net_revenue > 0"
    );
    const [campaign] = await sql<{count: number; value: number}>(
      ["recommendations", "customer_metrics"],
      `SELECT count(*)::INTEGER AS count, sum(monetary / frequency) AS value FROM customer_metrics
       WHERE recency_days <= 90 AND frequency >= 2 AND customer_id IN (SELECT customer_id FROM recommendations WHERE mode = 'discover' AND rank <= 3)`
    );
    const expected = {churn, bundles, rising, anomalies, campaign};
    for (const [key, item] of Object.entries(expected)) expect(item!.count, key).toBeGreaterThan(0);

    const {page, errors} = await open("/action-items");
    try {
      await page.waitForSelector("[data-action=campaign]", {timeout: 90_000});
      for (const [key, item] of Object.entries(expected)) {
        expect(await numberAttribute(page, `[data-action=${key}]`, "data-count"), key).toBe(item!.count);
        expectClose(await numberAttribute(page, `[data-action=${key}]`, "data-value"), item!.value);
      }
      expect(await page.textContent("[data-action=rising]")).toContain("A descriptive comparison, not a forecast");
      // The answer first: each item's count and value in one sentence, and their values as bars.
      const answer = (await page.textContent("[data-section=action-answer]"))!.replace(/\s+/g, " ");
      expect(answer).toContain(
        `call customers at risk (${expected.churn!.count.toLocaleString("en-GB")} customers, £${Math.round(expected.churn!.value).toLocaleString("en-GB")})`
      );
      expect(await page.locator("[data-chart=action-values] svg g[aria-label=bar] rect").count()).toBe(4);
      // The churn rule names the shared risk levels' threshold.
      expect(await page.textContent("[data-action=churn] .action-rule")).toContain(`${Math.round(100 * RISK_THRESHOLDS.medium)}% or more`);

      const csv = parseCsv(readFileSync(await download(page, "[data-action=churn] button[data-download=csv]"), "utf8"));
      const idColumn = csv[0]!.indexOf("customer_id");
      expect(csv.slice(1).map((row) => Number(row[idColumn]))).toEqual(churnIds.map((row) => row.customer_id));

      const campaignCsv = parseCsv(readFileSync(await download(page, "[data-action=campaign] button[data-download=csv]"), "utf8"));
      const campaignIds = new Set(campaignCsv.slice(1).map((row) => row[campaignCsv[0]!.indexOf("customer_id")]));
      expect(campaignIds.size).toBe(campaign!.count);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

// Overflow and error cells at every width and theme are checked on every page by site.test.ts; here: the answer first.
describe("answer first at phone width", () => {
  const PAGES: [string, string][] = [
    ["/forecast", "[data-chart=past-forecasts-week] svg"],
    ["/recommendations", "[data-chart=recommended-overall] svg"],
    ["/anomalies", "[data-section=anomalies] table"],
    ["/market-basket", "[data-section=rules] table"],
    ["/action-items", "[data-action=campaign] table"]
  ];
  for (const [width, scheme] of [[390, "light"]] as const) {
    it(`puts the answer in the first screen, the method folded, at ${width} px (${scheme}), with nothing wider than the page`, async () => {
      for (const [path, ready] of PAGES) await expectAnswerFirst(browser.context, `${server.origin}${path}`, ready, {width, scheme});
    }, 300_000);
  }
});
