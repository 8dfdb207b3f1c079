/**
 * A new user's first try: the project with one week of data instead of the shipped year. `npm run build`
 * must succeed (offline), and every page must load without an error cell, a console error or a failed
 * request; the model pages that cannot be fitted on a week say why instead.
 */
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {launchChromium, serveStatic, type LaunchedBrowser, type StaticServer} from "../helpers/browser.js";
import {copyProject, sitePages, type ProjectCopy} from "../helpers/project-copy.js";
import {SLICES, writeSlice} from "../helpers/slices.js";

let project: ProjectCopy;
let server: StaticServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  project = copyProject("retail-week-");
  const week = SLICES.find((slice) => slice.name === "first week")!;
  mkdirSync(join(project.raw, "online-retail"), {recursive: true});
  await writeSlice(week, join(project.raw, "online-retail"));
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

  for (const path of sitePages()) {
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
});
