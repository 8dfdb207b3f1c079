import {spawn} from "node:child_process";
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {SNAPSHOTS} from "../../loaders/schema/index.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {PROJECT_ROOT, workspace, type Workspace} from "../helpers/fixtures.js";
import {SLICES, writeAdversarialFile, writeSlice} from "../helpers/slices.js";

/**
 * A new user's first try is a small extract, not our year. Every slice runs the whole pipeline the way a
 * user would (the CLI, in its own process), must finish (a stuck run is killed and fails the test, it never
 * hangs CI), publish every snapshot, and stay within a small memory bound. Time and memory are printed.
 */
const TIMEOUT_MS = 120_000;
const MEMORY_LIMIT_MIB = 1024;

/** Each model's main snapshot: empty exactly when the model says it could not be fitted. */
const MODEL_SNAPSHOTS: Record<string, string> = {
  rfm: "rfm_segments",
  segmentation: "customer_segments",
  churn: "churn_scores",
  recommendations: "recommendations",
  basket: "basket_rules"
};

interface CliResult {
  code: number | string;
  output: string;
  seconds: number;
  maxRssMiB: number;
}

function runCli(space: Workspace): Promise<CliResult> {
  const report = join(space.dir, "resources.json");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["loaders/launch.mjs", "--raw", space.raw, "--warehouse", space.warehouse, "--progress", "plain"], {
      cwd: PROJECT_ROOT,
      env: {...process.env, NO_COLOR: "1", RETAIL_RESOURCE_REPORT: report},
      stdio: ["ignore", "pipe", "pipe"]
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the pipeline was still running after ${TIMEOUT_MS / 1000} s; output so far:\n${output.slice(-3000)}`));
    }, TIMEOUT_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const maxRssMiB = existsSync(report) ? JSON.parse(readFileSync(report, "utf8")).maxRssKiB / 1024 : Number.NaN;
      resolve({code: code ?? signal ?? -1, output, seconds: (performance.now() - started) / 1000, maxRssMiB});
    });
  });
}

const cases = [
  ...SLICES.map((slice) => ({name: slice.name, write: (raw: string) => writeSlice(slice, raw)})),
  {name: "adversarial: two invoices sharing 40 products among 40", write: async (raw: string) => writeAdversarialFile(raw)},
  {name: "adversarial: six invoices sharing 40 products among 40", write: async (raw: string) => writeAdversarialFile(raw, {large: 6})}
];

const figures: string[] = [];
afterAll(() => console.log(`Small extracts (wall time, peak memory of the whole process):\n${figures.join("\n")}`));

describe("small and oddly shaped extracts run to the end", () => {
  for (const {name, write} of cases) {
    it(
      name,
      async () => {
        const space = workspace("retail-slice-");
        try {
          await write(space.raw);
          const result = await runCli(space);
          figures.push(`  ${name.padEnd(58)} ${result.seconds.toFixed(1).padStart(5)} s  ${result.maxRssMiB.toFixed(0).padStart(5)} MiB`);
          expect(result.code, result.output.slice(-3000)).toBe(0);
          expect(result.output).not.toMatch(/FATAL|heap out of memory|NaN/);
          expect(result.maxRssMiB).toBeLessThan(MEMORY_LIMIT_MIB);
          for (const snapshot of Object.keys(SNAPSHOTS)) {
            expect(existsSync(join(space.warehouse, "snapshots", `${snapshot}.parquet`)), `snapshot ${snapshot}`).toBe(true);
          }

          const metrics = await readSnapshot<{model: string; metric: string; value: number | null; details: string}>(space.warehouse, "model_metrics");
          expect(metrics.filter((row) => typeof row.value === "number" && !Number.isFinite(row.value))).toEqual([]);
          for (const [model, snapshot] of Object.entries(MODEL_SNAPSHOTS)) {
            const [{n}] = await readSnapshot<{n: number}>(space.warehouse, snapshot, "SELECT count(*)::INTEGER AS n FROM t");
            const notFitted = metrics.filter((row) => row.model === model && row.metric === "not_fitted");
            expect(notFitted.length, `${model}: ${n} rows in ${snapshot}, not_fitted rows: ${JSON.stringify(notFitted)}`).toBe(n === 0 ? 1 : 0);
            for (const row of notFitted) expect(row.details).toMatch(/^[A-Z].{20,}\.$/);
          }
          const [{forecasts}] = await readSnapshot<{forecasts: number}>(
            space.warehouse,
            "sales_forecast",
            "SELECT count(*) FILTER (WHERE kind <> 'actual')::INTEGER AS forecasts FROM t"
          );
          const forecastNotFitted = metrics.filter((row) => row.model === "forecast" && row.metric === "not_fitted");
          expect(forecastNotFitted.length).toBe(forecasts === 0 ? 1 : 0);
          // Basket mining never counts an itemset in fewer than 5 invoices, whatever 2% of the invoices is.
          for (const row of metrics.filter((row) => row.model === "basket" && row.metric === "min_invoices")) expect(row.value).toBeGreaterThanOrEqual(5);
          const [{fewest}] = await readSnapshot<{fewest: number | null}>(space.warehouse, "basket_itemsets", "SELECT min(invoices)::INTEGER AS fewest FROM t");
          if (fewest !== null) expect(fewest).toBeGreaterThanOrEqual(5);
        } finally {
          space.dispose();
        }
      },
      TIMEOUT_MS + 30_000
    );
  }
});
