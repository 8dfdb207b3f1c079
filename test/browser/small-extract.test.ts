/**
 * A new user's first try: the project with one week of data instead of the shipped year, and pages of
 * their own written the way Framework's documentation writes them (implicit `Plot`, `d3`, `Inputs`,
 * `html`, a ```sql display cell). `npm run build` must succeed offline, and every page must load without
 * an error cell, a console error or a failed request; the model pages that cannot be fitted on a week
 * say why instead.
 */
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {launchChromium, serveStatic, type LaunchedBrowser, type StaticServer} from "../helpers/browser.js";
import {copyProject, sitePages, type ProjectCopy} from "../helpers/project-copy.js";
import {SLICES, writeSlice} from "../helpers/slices.js";

/** A user's own pages, with Framework's implicit imports and no import of the prelude. */
const USER_PAGES: Record<string, string> = {
  "my-plot": "# My plot\n\n```js\nPlot.plot({marks: [Plot.barY([1, 2, 3])]})\n```\n",
  "my-inputs":
    '# My inputs\n\n```js\nconst n = view(Inputs.range([1, 10], {value: 4, step: 1, label: "n"}));\n```\n\n' +
    '```js\nhtml`<p data-answer>${d3.sum(d3.range(n))} from ${n}</p>`\n```\n\n```js\nInputs.table([{a: 1, b: "x"}, {a: 2, b: "y"}])\n```\n',
  "my-sql":
    '# My SQL\n\n```js\nimport {sql} from "./components/prelude.js";\n```\n\n' +
    "```sql display\nSELECT country, count(*)::INTEGER AS orders FROM orders GROUP BY country ORDER BY orders DESC, country LIMIT 3\n```\n",
  "my-map": '# My map\n\n```js\nL.map(display(html`<div style="height: 200px">`))\n```\n'
};

let project: ProjectCopy;
let server: StaticServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  project = copyProject("retail-week-");
  const week = SLICES.find((slice) => slice.name === "first week")!;
  mkdirSync(join(project.raw, "online-retail"), {recursive: true});
  await writeSlice(week, join(project.raw, "online-retail"));
  for (const [name, text] of Object.entries(USER_PAGES)) writeFileSync(join(project.dir, "src", `${name}.md`), text);
  await project.build();
  server = await serveStatic(project.dist);
  browser = await launchChromium();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  project?.dispose();
});

describe("the site built from one week of data", () => {
  it("has every page of the sidebar", () => {
    expect(sitePages().length).toBeGreaterThan(10);
  });

  for (const path of [...sitePages(), "/my-plot", "/my-inputs", "/my-sql"]) {
    it(`${path} loads without an error cell, a console error or a failed request`, async () => {
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("requestfailed", (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
      page.on("response", (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
      });
      try {
        await page.goto(`${server.origin}${path}`);
        await page.waitForLoadState("networkidle", {timeout: 90_000});
        // Cells that query DuckDB-WASM settle after the network: wait until no cell is still pending.
        await page.waitForFunction(() => !document.querySelector(".observablehq--loading, .loading"), undefined, {timeout: 60_000}).catch(() => undefined);
        const errors = await page.$$eval(".observablehq--error", (cells) => cells.map((cell) => cell.textContent?.trim() ?? ""));
        expect({errors, problems}).toEqual({errors: [], problems: []});
      } finally {
        await page.close();
      }
    }, 150_000);
  }

  it("renders a user's pages written with Framework's implicit imports, offline", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${server.origin}/my-plot`);
      await page.waitForSelector("svg [aria-label=bar] rect");
      expect(await page.locator("svg [aria-label=bar] rect").count()).toBe(3);
      await page.goto(`${server.origin}/my-inputs`);
      await expect.poll(() => page.locator("[data-answer]").textContent()).toBe("6 from 4");
      await page.locator("input[type=number]").fill("5");
      await page.locator("input[type=number]").dispatchEvent("input");
      await expect.poll(() => page.locator("[data-answer]").textContent()).toBe("10 from 5");
      expect(await page.locator("form table tbody tr").count()).toBe(2);
      await page.goto(`${server.origin}/my-sql`);
      await page.waitForSelector("table tbody tr td", {timeout: 60_000});
      expect(await page.locator("table tbody tr").first().textContent()).toContain("United Kingdom");
    } finally {
      await page.close();
    }
  });

  it("says which package to install for an implicit library that is not installed, instead of 'fetch failed'", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${server.origin}/my-map`);
      const error = page.locator(".observablehq--error");
      await error.first().waitFor({timeout: 30_000});
      expect(await error.first().textContent()).toContain("npm install leaflet");
    } finally {
      await page.close();
    }
  });
});
