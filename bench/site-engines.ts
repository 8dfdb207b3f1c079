/**
 * `npm run bench:site-engines`: how fast can a snapshot become queryable in DuckDB-WASM in a first visit
 * (cold cache, fresh Chromium profile, loopback)? Compares decoding the Parquet file with parquet-wasm or
 * hyparquet, on the main thread or in a Web Worker, then inserting Arrow; and attaching a read-only
 * `.duckdb` file packed from the snapshot at build time. DuckDB-WASM boots in parallel in every case.
 *
 *   npm run bench:site-engines -- [--table sales] [--runs 3]
 *
 * Prints a table and writes bench/results/site-engines.json.
 */
import {DuckDBInstance} from "@duckdb/node-api";
import {build} from "esbuild";
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {launchChromium, serveStatic} from "../test/helpers/browser.js";

const ROOT = new URL("..", import.meta.url).pathname;
const {values} = parseArgs({options: {table: {type: "string", default: "sales"}, runs: {type: "string", default: "3"}}});
const table = values.table!;
const runs = Number(values.runs);
const snapshot = join(ROOT, "data/warehouse/snapshots", `${table}.parquet`);
if (!existsSync(snapshot)) throw new Error(`${snapshot} is missing: run \`npm run pipeline\` first`);

const out = mkdtempSync(join(tmpdir(), "retail-bench-site-"));
try {
  await build({
    entryPoints: {engines: join(ROOT, "bench/site/engines.ts"), "decode-worker": join(ROOT, "bench/site/decode-worker.ts")},
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    outdir: out,
    minify: true,
    logLevel: "warning"
  });
  const wasm = join(ROOT, "node_modules/@duckdb/duckdb-wasm/dist");
  copyFileSync(join(wasm, "duckdb-eh.wasm"), join(out, "duckdb-eh.wasm"));
  copyFileSync(join(wasm, "duckdb-browser-eh.worker.js"), join(out, "duckdb-browser-eh.worker.js"));
  copyFileSync(join(ROOT, "node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm"), join(out, "parquet_wasm_bg.wasm"));
  copyFileSync(snapshot, join(out, `${table}.parquet`));
  await packDuckDBFile(snapshot, join(out, `${table}.duckdb`), table);
  writeFileSync(join(out, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="engines.js"></script>`);

  const server = await serveStatic(out);
  const strategies =
    values.table === "sales"
      ? ["duckdb-only", "duckdb-file", "parquet-wasm-worker", "parquet-wasm-main", "hyparquet-worker", "hyparquet-main"]
      : ["js-hyparquet", "js-parquet-wasm", "duckdb-file", "parquet-wasm-worker", "hyparquet-main"];
  const results: Record<string, Record<string, unknown>[]> = {};
  for (let run = 0; run < runs; run++) {
    for (const strategy of strategies) {
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        await page.goto(`${server.origin}/index.html?strategy=${strategy}&table=${table}`);
        await page.waitForFunction(() => window.benchResult || window.benchError, null, {timeout: 120_000});
        const error = await page.evaluate(() => window.benchError);
        if (error) throw new Error(`${strategy}: ${error}`);
        const result = (await page.evaluate(() => window.benchResult)) as Record<string, unknown> & {filterQueryMs?: number[]};
        const filter = result.filterQueryMs ?? [];
        (results[strategy] ??= []).push({...result, filterP50: filter[Math.floor(filter.length / 2)] ?? null, filterMax: filter.at(-1) ?? null});
      } finally {
        await browser.close();
      }
    }
  }
  await server.close();

  const median = (numbers: number[]) => numbers.sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
  const summary = strategies.map((strategy) => {
    const rows = results[strategy]!;
    const pick = (key: string) => {
      const numbers = rows.map((row) => row[key]).filter((value): value is number => typeof value === "number");
      return numbers.length ? Math.round(median(numbers)) : null;
    };
    return {
      strategy,
      rows: rows[0]!.rows as number,
      engineReadyMs: pick("engineReadyMs"),
      decodeMs: pick("decodeMs"),
      insertMs: pick("insertMs"),
      queryableMs: pick("queryableMs"),
      longestMainThreadTaskMs: pick("longestTaskMs"),
      filterQueryP50Ms: pick("filterP50"),
      filterQueryMaxMs: pick("filterMax")
    };
  });
  console.log(`${table}: median of ${runs} first visits (ms from navigation; decode includes fetch off the loopback)`);
  console.table(summary);
  mkdirSync(join(ROOT, "bench/results"), {recursive: true});
  writeFileSync(join(ROOT, "bench/results/site-engines.json"), JSON.stringify({table, runs, summary, results}, null, 1));
} finally {
  rmSync(out, {recursive: true, force: true});
}

async function packDuckDBFile(parquet: string, target: string, name: string) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(`ATTACH '${target}' AS packed`);
  await connection.run(`CREATE TABLE packed.${name} AS FROM read_parquet('${parquet}')`);
  await connection.run(`DETACH packed`);
  connection.closeSync();
  instance.closeSync();
}
