/**
 * The customer model pages (Customers & RFM, Segments, Churn, Customer lookup) in a real browser:
 * Debian's Chromium against the built site, every number checked against what DuckDB in Node reads from
 * the same snapshots. The site is built once per test run (buildSite: a lock and a stamp), shared with
 * site.test.ts.
 */
import {DuckDBInstance} from "@duckdb/node-api";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {failedForReal, launchChromium, serveStatic, type LaunchedBrowser, type StaticServer} from "../helpers/browser.js";
import {PROJECT_ROOT} from "../helpers/fixtures.js";
import {buildSite, expectAnswerFirst, parseCsv} from "../helpers/site.js";
import {RISK_THRESHOLDS} from "../../src/components/risk-levels.js";
import {formatAuc} from "../../src/components/churn-evaluation.js";

const SNAPSHOTS = join(PROJECT_ROOT, "data", "warehouse", "snapshots");

/** A query over several snapshots, each a view named after it (as the pages' SQL names them). */
async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    for (const name of [
      "rfm_segments",
      "rfm_segment_summary",
      "rfm_segment_movement",
      "customer_segments",
      "segment_profiles",
      "segment_silhouettes",
      "churn_scores",
      "model_metrics",
      "customer_metrics",
      "orders",
      "sales",
      "recommendations"
    ]) {
      if (new RegExp(`\\b${name}\\b`).test(text))
        await connection.run(`CREATE VIEW ${name} AS FROM read_parquet('${join(SNAPSHOTS, `${name}.parquet`).replaceAll("'", "''")}')`);
    }
    return await queryRows<T>(connection, text, params as never);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const metric = async (model: string, method: string, name: string, split = "holdout:") =>
  (
    await sql<{value: number}>("SELECT value FROM model_metrics WHERE model = ? AND method = ? AND metric = ? AND starts_with(split, ?)", [
      model,
      method,
      name,
      split
    ])
  )[0]!.value;

let server: StaticServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  server = await serveStatic(await buildSite());
  browser = await launchChromium();
}, 1_200_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Opened {
  page: Page;
  /** Console errors, failed requests and requests to other hosts seen so far. */
  problems: string[];
}

async function open(path: string): Promise<Opened> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
  page.on("pageerror", (error) => problems.push(`page error: ${error}`));
  page.on("requestfailed", (request) => failedForReal(request) && problems.push(`failed: ${request.url()}`));
  page.on("response", (response) => response.status() >= 400 && problems.push(`HTTP ${response.status()}: ${response.url()}`));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(`${server.origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:")) problems.push(`other host: ${url}`);
  });
  await page.goto(`${server.origin}${path}`);
  return {page, problems};
}

/** `data-value`s of the cells of one column of a record table, by row key. */
const tableColumn = (page: Page, table: string, column: string) =>
  page.$$eval(
    `[data-table=${table}] tr[data-row]`,
    (rows, column) => rows.map((row) => [row.getAttribute("data-row"), row.querySelector(`[data-column=${column}]`)!.getAttribute("data-value")]),
    column
  );

/** Texts of the n-th text mark of a Plot chart (numbers as drawn, e.g. "1,354"). */
const textMark = (page: Page, chart: string, nth = 0) =>
  page.$$eval(`[data-chart=${chart}] svg g[aria-label=text]`, (marks, nth) => [...marks[nth]!.querySelectorAll("text")].map((text) => text.textContent!), nth);

const numbers = (texts: string[]) => texts.map((text) => Number(text.replaceAll(",", ""))).sort((a, b) => a - b);

async function download(page: Page, selector: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download", {timeout: 90_000}), page.click(selector)]);
  return (await file.path())!;
}

describe("Customers & RFM", () => {
  it("shows every segment's size and back-test, the grid, the treemap, the movement and the model card as the snapshots hold them", async () => {
    const {page, problems} = await open("/customers");
    try {
      await page.waitForSelector("[data-table=rfm-segment-summary] tr[data-row]", {timeout: 90_000});
      // The movement and the model card are under "How we know", folded below the answer.
      await page.click("details.how-we-know > summary");
      await page.waitForSelector("[data-chart=rfm-movement] svg", {timeout: 90_000});
      const summary = await sql<{segment: string; customers: number; revenue: number; backtest_repurchase_rate: number | null}>(
        "SELECT segment, customers, revenue, backtest_repurchase_rate FROM rfm_segment_summary ORDER BY display_order"
      );
      expect(summary.length).toBe(10);
      expect(await tableColumn(page, "rfm-segment-summary", "customers")).toEqual(summary.map((row) => [row.segment, String(row.customers)]));
      expect(await tableColumn(page, "rfm-segment-summary", "backtest_repurchase_rate")).toEqual(
        summary.map((row) => [row.segment, row.backtest_repurchase_rate === null ? "" : String(row.backtest_repurchase_rate)])
      );

      const cells = await sql<{customers: number}>("SELECT count(*)::INTEGER AS customers FROM rfm_segments GROUP BY r_score, f_score");
      expect(numbers(await textMark(page, "rfm-grid", 0))).toEqual(cells.map((row) => row.customers).sort((a, b) => a - b));

      const tiles = () =>
        page.$$eval("[data-chart=rfm-treemap] g[data-label]", (gs) =>
          gs.map((g) => [g.getAttribute("data-label"), Number(g.getAttribute("data-value"))] as const).sort()
        );
      expect(await tiles()).toEqual(
        summary
          .filter((row) => row.customers > 0)
          .map((row) => [row.segment, row.customers])
          .sort()
      );
      await page.getByLabel("net revenue").check();
      await page.waitForSelector("[data-chart=rfm-treemap] h3:has-text('net revenue')");
      expect(await tiles()).toEqual(
        summary
          .filter((row) => row.revenue > 0)
          .map((row) => [row.segment, row.revenue])
          .sort()
      );

      const movement = await sql<{customers: number}>("SELECT customers FROM rfm_segment_movement");
      expect(numbers(await textMark(page, "rfm-movement", 0))).toEqual(movement.map((row) => row.customers).sort((a, b) => a - b));

      const auc = await metric("rfm", "rfm_score", "roc_auc", "time");
      expect(await page.getAttribute("[data-kpi=backtest-roc-auc]", "data-value")).toBe(String(auc));
      expect(await page.getAttribute("[data-model=rfm] tr[data-method=rfm_score][data-metric=roc_auc]", "data-value")).toBe(String(auc));
      expect(await page.textContent("[data-kpi=backtest-roc-auc] .big")).toBe(auc.toFixed(3));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("lists the customers of the segments in the URL, by net spend, each linked to the lookup", async () => {
    const {page} = await open(`/customers?segment=${encodeURIComponent("Can't lose")}&segment=At+risk`);
    try {
      const expected = await sql<{customer_id: number}>(
        "SELECT customer_id FROM rfm_segments WHERE segment IN ('Can''t lose', 'At risk') ORDER BY monetary DESC, customer_id"
      );
      await page.waitForSelector(`[data-customer-count="${expected.length}"]`, {timeout: 60_000});
      const ids = await page.$$eval("a[data-customer]", (links) =>
        links.slice(0, 5).map((link) => [link.getAttribute("data-customer"), link.getAttribute("href")])
      );
      expect(ids).toEqual(expected.slice(0, 5).map((row) => [String(row.customer_id), `./customer?id=${row.customer_id}`]));
    } finally {
      await page.close();
    }
  });
});

describe("Segments", () => {
  it("shows the segment sizes, every customer, why k = 4 and the seed's features' comparison from the snapshots", async () => {
    const {page, problems} = await open("/segments");
    try {
      // The answer first; the method under "How we know".
      await page.waitForSelector("[data-section=segments-answer]", {timeout: 90_000});
      await page.click("[data-section=how-we-know] > summary");
      await page.waitForSelector("[data-chart=seed-comparison] svg", {timeout: 90_000});
      const profiles = await sql<{segment: string; customers: number}>("SELECT segment, customers FROM segment_profiles ORDER BY segment_id");
      expect(profiles.length).toBe(4);
      const cards = await page.$$eval("[data-section=segment-profiles] [data-segment]", (divs) =>
        divs.map((div) => [div.getAttribute("data-segment"), Number(div.getAttribute("data-customers"))])
      );
      expect(cards).toEqual(profiles.map((row) => [row.segment, row.customers]));
      expect(await tableColumn(page, "segment-profiles", "customers")).toEqual(profiles.map((row) => [row.segment, String(row.customers)]));
      const [top] = await sql<{segment: string; customer_share: number; revenue_share: number}>(
        "SELECT segment, customer_share, revenue_share FROM segment_profiles ORDER BY revenue_share DESC LIMIT 1"
      );
      expect((await page.textContent("[data-section=segments-answer]"))!.replace(/\s+/g, " ")).toContain(
        `${top!.segment} customers are ${(100 * top!.customer_share).toFixed(0)}% of customers and bring ${(100 * top!.revenue_share).toFixed(0)}% of net revenue`
      );
      // The first segment's customers, most typical first, as the snapshot orders them.
      const members = await sql<{customer_id: number}>(
        "SELECT customer_id FROM customer_segments WHERE segment = ? ORDER BY distance_to_centroid, customer_id LIMIT 5",
        [profiles[0]!.segment]
      );
      expect(
        await page.$$eval("[data-table=segment-members] tbody tr[data-row]", (rows) => rows.slice(0, 5).map((row) => Number(row.getAttribute("data-row"))))
      ).toEqual(members.map((row) => row.customer_id));

      const [{customers}] = await sql<{customers: number}>("SELECT count(*)::INTEGER AS customers FROM customer_segments");
      const dots = () =>
        page.$$eval("[data-chart=segment-scatter] svg g[aria-label=dot]", (marks) => marks.map((mark) => mark.querySelectorAll("circle, path").length));
      expect(await dots()).toEqual([customers, profiles.length]);
      const before = await page.innerHTML("[data-chart=segment-scatter]");
      await page.getByLabel("Frequency × monetary").check();
      await page.waitForFunction((html) => document.querySelector("[data-chart=segment-scatter]")?.innerHTML !== html, before);
      expect(await dots()).toEqual([customers, profiles.length]);

      const [chosen] = await sql<{k: number; silhouette: number; smallest_share: number}>(
        "SELECT k, silhouette, smallest_share FROM segment_silhouettes WHERE chosen"
      );
      const [seed] = await sql<{silhouette: number; largest_share: number}>(
        "SELECT silhouette, largest_share FROM segment_silhouettes WHERE features = 'seed_spend_invoices_unscaled' AND k = ?",
        [chosen!.k]
      );
      expect(chosen!.k).toBe(4);
      expect(await page.textContent("h2:has-text('Why k')")).toBe("Why k = 4");
      expect(await page.textContent("[data-section=why-k]")).toContain(`keeps a silhouette of ${chosen!.silhouette.toFixed(3)}`);
      const comparison = (metricName: string, features: string) =>
        page.getAttribute(`[data-section=seed-comparison] tr[data-metric=${metricName}] td[data-features=${features}]`, "data-value").then(Number);
      expect(await comparison("silhouette", "seed")).toBe(seed!.silhouette);
      expect(await comparison("silhouette", "published")).toBe(chosen!.silhouette);
      expect(await comparison("largest_share", "seed")).toBe(seed!.largest_share);
      expect(await page.textContent("[data-section=seed-comparison]")).toContain(`${(100 * seed!.largest_share).toFixed(1)}%`);
      expect(seed!.silhouette).toBeGreaterThan(0.8);
      expect(seed!.largest_share).toBeGreaterThan(0.9);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("Churn", () => {
  const AT_RISK = `SELECT c.value_at_risk_rank, c.customer_id, c.country, r.segment AS rfm_segment, k.segment AS kmeans_segment, c.risk_level, c.churn_probability,
      c.value_at_risk, c.expected_spend_90d, c.recency_days, c.frequency, c.monetary, c.top_factors
    FROM churn_scores AS c JOIN rfm_segments AS r USING (customer_id) JOIN customer_segments AS k USING (customer_id)`;
  const firstIds = (page: Page, n = 10) =>
    page.$$eval(
      "[data-section=at-risk-table] tbody tr[data-row]",
      (trs, n) => trs.slice(0, n).map((tr) => Number(tr.querySelector("a[data-customer]")!.getAttribute("data-customer"))),
      n
    );

  it("shows the model card from model_metrics and says plainly where it stands against the baseline and the 0.75 bar", async () => {
    const {page, problems} = await open("/churn");
    try {
      await page.waitForSelector("[data-section=churn-answer]", {timeout: 90_000});
      await page.click("[data-section=how-we-know] > summary");
      await page.waitForSelector("[data-section=churn-verdict]", {timeout: 90_000});
      const forest = await metric("churn", "random_forest", "roc_auc");
      const forestMean = await metric("churn", "random_forest", "roc_auc", "repeated holdout");
      const baseline = await metric("churn", "recency_only", "roc_auc");
      const baselineMean = await metric("churn", "recency_only", "roc_auc", "repeated holdout");
      expect(await page.getAttribute("[data-kpi=roc-auc]", "data-value")).toBe(String(forest));
      expect(await page.getAttribute("[data-kpi=mean-roc-auc]", "data-value")).toBe(String(forestMean));
      expect(await page.getAttribute("[data-kpi=pr-auc]", "data-value")).toBe(String(await metric("churn", "random_forest", "pr_auc")));
      for (const method of ["random_forest", "logistic_regression", "recency_only"]) {
        const row = `[data-table=churn-methods] tr[data-row=${method}]`;
        expect(await page.getAttribute(`${row} [data-column=rocAuc]`, "data-value")).toBe(String(await metric("churn", method, "roc_auc")));
        expect(await page.getAttribute(`${row} [data-column=meanRocAuc]`, "data-value")).toBe(
          String(await metric("churn", method, "roc_auc", "repeated holdout"))
        );
        expect(await page.getAttribute(`${row} [data-column=prAuc]`, "data-value")).toBe(String(await metric("churn", method, "pr_auc")));
      }

      const verdict = page.locator("[data-section=churn-verdict]");
      expect(await verdict.getAttribute("data-beats-baseline")).toBe(String(forest > baseline && forestMean > baselineMean));
      expect(await verdict.getAttribute("data-meets-bar-holdout")).toBe(String(forest >= 0.75));
      expect(await verdict.getAttribute("data-meets-bar-average")).toBe(String(forestMean >= 0.75));
      const text = (await verdict.textContent())!.replace(/\s+/g, " ");
      expect(text).toContain(`ROC-AUC ${forest.toFixed(3)} against ${baseline.toFixed(3)} on the main hold-out`);
      // The shipped data, fitted through 2011-12-04: 0.750 on the published hold-out, 0.746 on the mean of five —
      // both shown, neither hidden.
      expect(forest).toBeGreaterThanOrEqual(0.75);
      expect(forestMean).toBeLessThan(0.75);
      expect(text).toContain(
        `The 0.75 ROC-AUC target is met on the main hold-out (${formatAuc(forest)}) but not on average (${formatAuc(forestMean)} on the average of 5 hold-outs).`
      );

      for (const [cell, name] of [
        ["tp", "true_positives"],
        ["fp", "false_positives"],
        ["fn", "false_negatives"],
        ["tn", "true_negatives"]
      ] as const) {
        expect(await page.getAttribute(`[data-chart=churn-confusion] [data-cell=${cell}]`, "data-value")).toBe(
          String(await metric("churn", "random_forest", name))
        );
      }
      for (const chart of ["churn-roc", "churn-pr", "churn-calibration", "churn-importance"])
        expect(await page.locator(`[data-chart=${chart}] svg`).count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("answers first: customers and value at risk per risk level, their distribution and the value at risk by segment, with the pipeline's levels", async () => {
    const {page, problems} = await open("/churn");
    try {
      await page.waitForSelector("[data-chart=churn-value-by-segment] svg", {timeout: 90_000});
      const levels = await sql<{risk_level: string; customers: number; value: number}>(
        "SELECT risk_level, count(*)::INTEGER AS customers, sum(value_at_risk) AS value FROM churn_scores GROUP BY ALL ORDER BY ALL"
      );
      for (const level of levels) {
        const card = `[data-stat=risk-${level.risk_level.toLowerCase()}]`;
        expect(await page.getAttribute(card, "data-value"), level.risk_level).toBe(String(level.customers));
        expect(await page.textContent(`${card} .big`)).toBe(level.customers.toLocaleString("en-GB"));
      }
      const high = levels.find((level) => level.risk_level === "High")!;
      const medium = levels.find((level) => level.risk_level === "Medium")!;
      const answer = (await page.textContent("[data-section=churn-answer]"))!.replace(/\s+/g, " ");
      expect(answer).toContain(`${high.customers.toLocaleString("en-GB")} customers are at high risk`);
      expect(answer).toContain(`£${Math.round(high.value + medium.value).toLocaleString("en-GB")} of the spend`);
      // One definition of the levels: every score's level is the one the site's thresholds give (models/churn/risk.ts's numbers).
      const [{wrong}] = await sql<{wrong: number}>(`SELECT count(*)::INTEGER AS wrong FROM churn_scores
        WHERE risk_level <> CASE WHEN churn_probability >= ${RISK_THRESHOLDS.high} THEN 'High' WHEN churn_probability >= ${RISK_THRESHOLDS.medium} THEN 'Medium' ELSE 'Low' END`);
      expect(wrong).toBe(0);
      // The histogram holds every customer; the segment bars' labels are the SQL sums per RFM segment (high and medium risk).
      const [{customers}] = await sql<{customers: number}>("SELECT count(*)::INTEGER AS customers FROM churn_scores");
      const heights = await page.$$eval("[data-chart=churn-risk-distribution] svg g[aria-label=rect] rect", (rects) => rects.length);
      expect(heights).toBe(20);
      expect(customers).toBeGreaterThan(4000);
      const bySegment = await sql<{
        segment: string;
        value: number;
      }>(`SELECT r.segment, sum(c.value_at_risk) AS value FROM churn_scores AS c JOIN rfm_segments AS r USING (customer_id)
        WHERE c.risk_level <> 'Low' GROUP BY ALL ORDER BY value DESC, r.segment`);
      const compact = new Intl.NumberFormat("en-GB", {notation: "compact", maximumFractionDigits: 1});
      expect(await textMark(page, "churn-value-by-segment", 0)).toEqual(bySegment.map((row) => `£${compact.format(row.value)}`));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("lists customers by value at risk, filters them by country, segment and risk (kept in the URL), and downloads exactly those rows", async () => {
    const {page, problems} = await open("/churn");
    try {
      await page.waitForSelector("[data-section=at-risk-table] table", {timeout: 90_000});
      const all = await sql<{customer_id: number}>(`${AT_RISK} ORDER BY c.value_at_risk DESC, c.value_at_risk_rank`);
      expect(await page.getAttribute("[data-section=at-risk-summary]", "data-rows")).toBe(String(all.length));
      expect(await firstIds(page)).toEqual(all.slice(0, 10).map((row) => row.customer_id));

      // Through the inputs: Germany (in the shared country picker, with its number of customers), high and medium risk.
      const [{n}] = await sql<{n: number}>("SELECT count(*)::INTEGER AS n FROM churn_scores WHERE country = 'Germany'");
      await page.click("[data-section=at-risk-filters] .country-picker__menu > summary");
      expect(await page.textContent("[data-section=at-risk-filters] li[data-country=Germany]")).toContain(String(n));
      await page.check("[data-section=at-risk-filters] input[name=country][value=Germany]");
      await page.click("[data-section=at-risk-filters] .country-picker__menu > summary");
      await page.getByLabel("High", {exact: true}).check();
      await page.getByLabel("Medium", {exact: true}).check();
      await page.waitForURL((url) => url.searchParams.getAll("country").join() === "Germany" && url.searchParams.getAll("risk").join() === "High,Medium");
      const germany = await sql<Record<string, unknown>>(
        `${AT_RISK} WHERE c.country = 'Germany' AND c.risk_level IN ('High', 'Medium') ORDER BY c.value_at_risk_rank`
      );
      expect(germany.length).toBeGreaterThan(5);
      await page.waitForSelector(`[data-section=at-risk-summary][data-rows="${germany.length}"]`);
      expect(await firstIds(page)).toEqual(germany.slice(0, 10).map((row) => row.customer_id));

      const csv = parseCsv(readFileSync(await download(page, "[data-download=csv]"), "utf8"));
      const columns = Object.keys(germany[0]!);
      expect(csv[0]).toEqual(columns);
      expect(csv.slice(1)).toEqual(germany.map((row) => columns.map((column) => (row[column] === null ? "" : String(row[column])))));
      const parquet = await download(page, "[data-download=parquet]");
      expect(await sql(`SELECT * FROM read_parquet('${parquet.replaceAll("'", "''")}')`)).toEqual(germany);

      // The filters survive a reload.
      await page.reload();
      await page.waitForSelector(`[data-section=at-risk-summary][data-rows="${germany.length}"]`, {timeout: 90_000});
      expect(await page.getByLabel("High", {exact: true}).isChecked()).toBe(true);

      // Through a link: an RFM segment and a k-means segment.
      await page.goto(`${server.origin}/churn?country=United+Kingdom&segment=At+risk&kmeans=Mid+value+regulars`);
      const segment = await sql<{customer_id: number}>(
        `${AT_RISK} WHERE c.country = 'United Kingdom' AND r.segment = 'At risk' AND k.segment = 'Mid value regulars' ORDER BY c.value_at_risk_rank`
      );
      expect(segment.length).toBeGreaterThan(5);
      await page.waitForSelector(`[data-section=at-risk-summary][data-rows="${segment.length}"]`, {timeout: 90_000});
      expect(await firstIds(page)).toEqual(segment.slice(0, 10).map((row) => row.customer_id));

      // A customer id opens the lookup.
      const first = segment[0]!.customer_id;
      await page.click(`[data-section=at-risk-table] a[data-customer="${first}"]`);
      await page.waitForURL(`${server.origin}/customer?id=${first}`);
      await page.waitForSelector(`[data-customer-profile="${first}"]`, {timeout: 60_000});
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("Customer lookup", () => {
  const expectedCustomer = async (id: number) => {
    const [row] = await sql<{rfm: string; kmeans: string; probability: number; risk: string; frequency: number; orders: number}>(
      `SELECT r.segment AS rfm, k.segment AS kmeans, c.churn_probability AS probability, c.risk_level AS risk, m.frequency,
         (SELECT count(*)::INTEGER FROM orders WHERE customer_id = ?) AS orders
       FROM customer_metrics AS m JOIN rfm_segments AS r USING (customer_id) JOIN customer_segments AS k USING (customer_id) JOIN churn_scores AS c USING (customer_id)
       WHERE customer_id = ?`,
      [id, id]
    );
    return row!;
  };
  const shown = (page: Page) =>
    page.$$eval("[data-customer-profile] [data-field]", (fields) =>
      Object.fromEntries(fields.map((field) => [field.getAttribute("data-field"), field.getAttribute("data-value")]))
    );

  async function expectCustomer(page: Page, id: number) {
    const expected = await expectedCustomer(id);
    await page.waitForSelector(`[data-customer-profile="${id}"]`, {timeout: 60_000});
    const fields = await shown(page);
    expect(fields["rfm-segment"]).toBe(expected.rfm);
    expect(fields["kmeans-segment"]).toBe(expected.kmeans);
    expect(fields["churn-probability"]).toBe(String(expected.probability));
    expect(fields["risk-level"]).toBe(expected.risk);
    expect(expected.orders).toBe(expected.frequency);
    expect(fields.orders).toBe(String(expected.orders));
    await page.waitForSelector(`[data-order-count="${expected.orders}"]`);
    expect(await page.locator("[data-table=customer-orders] tr[data-row]").count()).toBe(expected.orders);
  }

  it("shows one customer's segments, churn risk, orders, line items and recommendations; the id survives a reload and back/forward", async () => {
    const [{customer_id: id}] = await sql<{customer_id: number}>("SELECT customer_id FROM churn_scores WHERE value_at_risk_rank = 1");
    const {page, problems} = await open(`/customer?id=${id}`);
    try {
      await expectCustomer(page, id!);

      const [{lines}] = await sql<{lines: number}>("SELECT count(*)::INTEGER AS lines FROM sales WHERE customer_id = ?", [id]);
      await page.waitForSelector(`[data-section=line-items] .virtual-table-wrap[data-rows="${lines}"]`, {timeout: 90_000});
      // Read from the blocks of the days of their orders only: the lines found add up to every line.
      expect(await page.getAttribute("[data-section=line-items] [data-lines-read]", "data-lines-read")).toBe("days");
      // What to offer: the ten of each list, with scores and reasons, as the snapshot has them.
      const recommendations = await sql<{mode: string; rank: number; stock_code: string; score: number; reason: string}>(
        "SELECT mode, rank, stock_code, score, reason FROM recommendations WHERE customer_id = ? ORDER BY mode, rank",
        [id]
      );
      expect(recommendations.length).toBe(20);
      await page.waitForSelector("[data-section=recommendations] [data-recommendations]", {timeout: 90_000});
      for (const mode of ["buy_again", "discover"]) {
        expect(
          await page.locator(`[data-recommendations=${mode}] tbody tr`).evaluateAll((rows) =>
            rows.map((row) => ({
              rank: Number(row.getAttribute("data-rank")),
              stock_code: row.getAttribute("data-stock-code"),
              score: Number(row.getAttribute("data-score")),
              reason: row.lastElementChild!.textContent
            }))
          )
        ).toEqual(recommendations.filter((row) => row.mode === mode).map(({rank, stock_code, score, reason}) => ({rank, stock_code, score, reason})));
      }

      await page.reload();
      await expectCustomer(page, id!);
      expect(await page.inputValue("input[name=id]")).toBe(String(id));

      await page.fill("input[name=id]", "12347");
      await page.click("button:has-text('Look up')");
      await page.waitForURL(`${server.origin}/customer?id=12347`);
      await expectCustomer(page, 12347);
      await page.goBack();
      await page.waitForURL(`${server.origin}/customer?id=${id}`);
      await expectCustomer(page, id!);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("says what is wrong with an unknown or malformed id, and copes with a customer who has no recommendations", async () => {
    const {page, problems} = await open("/customer?id=99999");
    try {
      const [{last}] = await sql<{last: number}>("SELECT max(customer_id) AS last FROM customer_metrics");
      expect(await page.textContent("[data-lookup-error]", {timeout: 60_000})).toMatch(
        new RegExp(`^No customer 99999 in the data: ids run from \\d+ to ${last} .*Nearest ids: `)
      );
      await page.goto(`${server.origin}/customer?id=abc`);
      expect(await page.textContent("[data-lookup-error]", {timeout: 60_000})).toBe('"abc" is not a customer id: ids are whole numbers such as 12347.');

      const [{customer_id: lonely}] = await sql<{customer_id: number}>(
        "SELECT customer_id FROM customer_metrics WHERE customer_id NOT IN (SELECT customer_id FROM recommendations) ORDER BY customer_id LIMIT 1"
      );
      await page.goto(`${server.origin}/customer?id=${lonely}`);
      await expectCustomer(page, lonely!);
      expect(await page.textContent("[data-recommendations=none]", {timeout: 90_000})).toContain(`No recommendations for customer ${lonely}`);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

// Overflow and error cells at every width and theme are checked on every page by site.test.ts; here: the answer first.
describe("answer first at phone width", () => {
  const PAGES: [string, string][] = [
    ["/churn", "[data-section=at-risk-table] table"],
    ["/segments", "[data-table=segment-members] table"],
    ["/customer?id=12347", "[data-section=line-items] table, [data-section=line-items] .virtual-table"]
  ];
  for (const [width, scheme] of [[390, "light"]] as const) {
    it(`puts the answer in the first screen, the method folded, at ${width} px (${scheme}), with nothing wider than the page`, async () => {
      for (const [path, ready] of PAGES) {
        await expectAnswerFirst(browser.context, `${server.origin}${path}`, ready, {width, scheme, answer: path !== "/customer?id=12347", folded: true});
      }
    }, 300_000);
  }
});
