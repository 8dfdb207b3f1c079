/**
 * File landing → open page updated, as a user of `npm run dev` sees it: a copy of the project with the
 * first N daily files of the shipped data, `npm run dev` on it, Chromium on the Overview; then the next
 * daily file is copied into the raw folder, and the time is taken until the site's copy of `orders` is
 * rewritten and until the page's order count changes (no reload).
 *
 *   npm run bench:refresh -- [--days 304]
 *
 * With the default 304 days the new file is the shipped data's last, 2011-12-09.
 */
import {spawn} from "node:child_process";
import {copyFileSync, mkdirSync, readdirSync, statSync} from "node:fs";
import {createServer} from "node:net";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {launchChromium} from "../test/helpers/browser.js";
import {PROJECT_ROOT} from "../test/helpers/fixtures.js";
import {copyProject} from "../test/helpers/project-copy.js";

const {values} = parseArgs({options: {days: {type: "string", default: "304"}}});
const shipped = join(PROJECT_ROOT, "data", "raw", "online-retail");
const files = readdirSync(shipped)
  .filter((name) => name.endsWith(".csv.gz"))
  .sort();
const days = Number(values.days);
if (!Number.isInteger(days) || days < 1 || days >= files.length)
  throw new Error(`invalid --days; not an integer from 1 to ${files.length - 1}: ${values.days}`);

const port = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const {port} = server.address() as {port: number};
    server.close(() => resolve(port));
  });
});
const project = copyProject("retail-bench-refresh-");
const raw = join(project.raw, "online-retail");
mkdirSync(raw, {recursive: true});
for (const file of files.slice(0, days)) copyFileSync(join(shipped, file), join(raw, file));
const dev = spawn(process.execPath, ["loaders/site/dev.mjs", "--progress", "silent", "--port", String(port), "--no-open"], {
  cwd: project.dir,
  stdio: ["ignore", "pipe", "pipe"],
  env: {...process.env, NO_COLOR: "1"}
});
let output = "";
dev.stdout!.on("data", (chunk) => (output += chunk));
dev.stderr!.on("data", (chunk) => (output += chunk));
const browser = await launchChromium();
try {
  const origin = `http://127.0.0.1:${port}`;
  for (;;) {
    if (
      await fetch(`${origin}/`).then(
        (response) => response.ok,
        () => false
      )
    )
      break;
    if (dev.exitCode !== null) throw new Error(`npm run dev stopped:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const page = await browser.context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForSelector("[data-kpi=orders]", {timeout: 300_000});
  await page.waitForLoadState("networkidle");
  const before = await page.getAttribute("[data-kpi=orders]", "data-value");
  // The Overview's orders KPI is summed from daily_sales.
  const orders = join(project.dir, "src", "data", "daily_sales.parquet");
  const written = statSync(orders).mtimeMs;
  const next = files[days]!;
  const landed = performance.now();
  copyFileSync(join(shipped, next), join(raw, next));
  let published = 0;
  for (;;) {
    if (!published && statSync(orders).mtimeMs !== written) published = performance.now();
    const shown = await page.getAttribute("[data-kpi=orders]", "data-value").catch(() => null);
    if (shown && shown !== before) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const updated = performance.now();
  const run = /Pipeline finished in ([\d.]+ m?s)/g;
  const runs = [...output.matchAll(run)].map((match) => match[1]);
  console.log(
    `${days} days + ${next}: snapshots published after ${((published - landed) / 1000).toFixed(1)} s (the run: ${runs.at(-1) ?? "?"}), ` +
      `the open Overview updated after ${((updated - landed) / 1000).toFixed(1)} s`
  );
} finally {
  await browser.close();
  dev.kill("SIGINT");
  await new Promise((resolve) => dev.once("exit", resolve));
  project.dispose();
}
