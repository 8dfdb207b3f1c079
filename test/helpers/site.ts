import {spawn, spawnSync} from "node:child_process";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {acquireLock} from "../../loaders/run/lock.js";
import type {Page} from "playwright-core";
import {PROJECT_ROOT} from "./fixtures.js";

export const DIST = join(PROJECT_ROOT, "dist");

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: PROJECT_ROOT, env: {...process.env, NO_COLOR: "1", ...env}, stdio: ["ignore", "pipe", "pipe"]});
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`\`${command} ${args.join(" ")}\` exited with ${code}:\n${output.slice(-4000)}`))));
  });
}

/** Whether this machine can run a command in a network namespace of its own (root, or user namespaces). */
export const CAN_CUT_NETWORK = spawnSync("unshare", ["-n", "true"]).status === 0;

/**
 * Builds what the browser tests test with `npm run build`'s script: brings the snapshots up to date
 * (waiting for another run's lock if need be), then has Framework write the static site to dist/ unless
 * it is current. Where it can, it runs with no network at all (`unshare -n`), so a build that reaches for
 * the internet fails the tests.
 */
export async function buildSite(): Promise<string> {
  // Test files run in parallel processes: one builds, the others wait, then find dist/ already current.
  const lock = await acquireLock(join(tmpdir()), {waitMs: 1_200_000, pollMs: 500, name: "retail-site-build.lock"});
  try {
    const build = [process.execPath, "loaders/site/build.mjs", "--progress", "plain", "--wait", "600"];
    if (CAN_CUT_NETWORK) await run("unshare", ["-n", ...build]);
    else {
      console.warn("unshare -n is not available here: building the site with the network on (the offline build is not checked)");
      await run(build[0]!, build.slice(1));
    }
    return DIST;
  } finally {
    lock.release();
  }
}

/** Records, in the page, when an element matching `selector` first appears: `window.__appeared[key]`. */
export async function recordAppearance(page: Page, selector: string, key: string): Promise<void> {
  await page.addInitScript(
    ({selector, key}) => {
      const marks = ((window as unknown as {__appeared?: Record<string, number>}).__appeared ??= {});
      const observer = new MutationObserver(() => {
        if (document.querySelector(selector)) {
          marks[key] = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, {subtree: true, childList: true});
    },
    {selector, key}
  );
}

/** Records, in the page, when the first chart (a figure with an SVG) appears: `window.__firstChartMs`. */
export async function recordFirstChart(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (document.querySelector("figure[data-chart] svg")) {
        (window as unknown as {__firstChartMs: number}).__firstChartMs = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document, {subtree: true, childList: true});
  });
}

/** ms since navigation of a `performance.mark`, waiting for it to be set. */
export async function markTime(page: Page, name: string, timeout = 60_000): Promise<number> {
  await page.waitForFunction((mark) => performance.getEntriesByName(mark, "mark").length > 0, name, {timeout});
  return page.evaluate((mark) => performance.getEntriesByName(mark, "mark")[0]!.startTime, name);
}

/** The Overview's KPI cards and the charts drawn without DuckDB-WASM: what a filter change must redraw at once. */
export const FAST_PATH = [".kpi-row", "[data-chart=revenue-trend]", "[data-chart=revenue-by-country]", "[data-chart=revenue-year-month]"];

export interface FilterLatencyOptions {
  /** Elements that must all be replaced before a change counts as shown. Default: FAST_PATH. */
  watch?: readonly string[];
  /** ms to wait after each change is shown, before the next. Default: 0 (changes back to back). */
  pause?: number;
}

/**
 * Changes the Overview's country filter (the picker's checkboxes) `changes` times (cycling through `countries`: a country, or a
 * selection of several; consecutive entries must differ) and measures, in the page, the time from the
 * change until every `watch` element (the KPI cards and every fast-path chart) has been redrawn and
 * painted. Returns the latencies in ms.
 */
export async function measureFilterLatency(
  page: Page,
  countries: (string | string[])[],
  changes: number,
  {watch = FAST_PATH, pause = 0}: FilterLatencyOptions = {}
): Promise<number[]> {
  // tsx (esbuild's keepNames) wraps named functions in __name(); the page has no such helper.
  await page.evaluate("window.__name ??= (f) => f");
  return page.evaluate(
    async ({countries, changes, watch, pause}) => {
      const boxes = [...document.querySelectorAll<HTMLInputElement>("[data-filter-bar] input[type=checkbox][name=country]")];
      const watched = () => watch.map((selector) => document.querySelector(selector));
      const latencies: number[] = [];
      for (let i = 0; i < changes; i++) {
        const selection = countries[i % countries.length]!;
        const wanted = Array.isArray(selection) ? selection : [selection];
        const before = watched();
        const redrawn = new Promise<void>((resolve) => {
          const observer = new MutationObserver(() => {
            const now = watched();
            if (now.every((element, index) => element && element !== before[index])) {
              observer.disconnect();
              resolve();
            }
          });
          observer.observe(document.body, {subtree: true, childList: true});
        });
        const start = performance.now();
        for (const box of boxes) box.checked = wanted.includes(box.value);
        boxes[0]!.dispatchEvent(new Event("input", {bubbles: true}));
        await redrawn;
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        latencies.push(performance.now() - start);
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      }
      return latencies;
    },
    {countries, changes, watch, pause}
  );
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") (row.push(field), (field = ""));
    else if (char === "\r" && text[i + 1] === "\n") {
      (row.push(field), rows.push(row), (row = []), (field = ""), i++);
    } else field += char;
  }
  if (field !== "" || row.length > 0) (row.push(field), rows.push(row));
  return rows;
}

/**
 * Opens `path` at phone width and checks what a reader sees first: nothing wider than the page, no error
 * cell, the page's `.answer` inside the first screen (unless `answer: false`), and, with `folded`, the
 * method still folded under "How we know".
 */
export async function expectAnswerFirst(
  context: import("playwright-core").BrowserContext,
  url: string,
  ready: string,
  {width = 390, height = 900, scheme = "light" as "light" | "dark", answer = true, folded = false} = {}
): Promise<void> {
  const {expect} = await import("vitest");
  const page = await context.newPage();
  try {
    await page.setViewportSize({width, height});
    await page.emulateMedia({colorScheme: scheme});
    await page.goto(url);
    await page.waitForSelector(ready, {timeout: 90_000});
    const layout = await page.evaluate(() => {
      const main = document.querySelector("#observablehq-main")!;
      return {
        scroll: main.scrollWidth,
        client: main.clientWidth,
        page: document.documentElement.scrollWidth,
        window: innerWidth,
        errors: document.querySelectorAll(".observablehq--error").length
      };
    });
    expect(layout.scroll, url).toBeLessThanOrEqual(layout.client);
    expect(layout.page, url).toBeLessThanOrEqual(layout.window);
    expect(layout.errors, url).toBe(0);
    if (answer) {
      const box = await page.locator(".answer").first().boundingBox();
      expect(box!.y, url).toBeLessThan(height);
      if (folded) expect(await page.locator("details.how-we-know").getAttribute("open"), url).toBeNull();
    }
  } finally {
    await page.close();
  }
}
