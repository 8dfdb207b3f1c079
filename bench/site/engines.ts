// Browser side of `npm run bench:site`: one strategy per page load, chosen by the query string. The
// driver (bench/site-engines.ts) bundles this with esbuild and reads `window.benchResult`.
import * as duckdb from "@duckdb/duckdb-wasm";
import {decodeWithHyparquet, decodeWithParquetWasm, readArrowWithParquetWasm, readObjectsWithHyparquet, type Decoded} from "./decode.js";

declare global {
  interface Window {
    benchResult?: unknown;
    benchError?: string;
  }
}

const params = new URLSearchParams(location.search);
const strategy = params.get("strategy") ?? "duckdb-only";
const table = params.get("table") ?? "sales";

let longestTaskMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longestTaskMs = Math.max(longestTaskMs, entry.duration);
}).observe({type: "longtask", buffered: true});

async function bootDuckDB(): Promise<{db: duckdb.AsyncDuckDB; readyMs: number}> {
  const worker = new Worker(new URL("duckdb-browser-eh.worker.js", location.href), {type: "classic"});
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL("duckdb-eh.wasm", location.href).href);
  return {db, readyMs: performance.now()};
}

function decodeInWorker(decoder: "parquet-wasm" | "hyparquet", url: string): Promise<Decoded> {
  const worker = new Worker(new URL("decode-worker.js", location.href), {type: "module"});
  return new Promise((resolve, reject) => {
    worker.onmessage = ({data}) => (data.error ? reject(new Error(data.error)) : resolve(data as Decoded), worker.terminate());
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({decoder, url: new URL(url, location.href).href, wasm: new URL("parquet_wasm_bg.wasm", location.href).href});
  });
}

/** The fast path: a small snapshot decoded straight into JavaScript columns, no DuckDB at all. */
async function decodeOnly() {
  const url = `${table}.parquet`;
  const start = performance.now();
  let rows: number;
  if (strategy === "js-hyparquet") {
    const objects = await readObjectsWithHyparquet(url);
    rows = objects.length;
  } else {
    const arrow = await readArrowWithParquetWasm(url, new URL("parquet_wasm_bg.wasm", location.href).href);
    rows = arrow.numRows;
  }
  window.benchResult = {strategy, table, rows, startMs: start, queryableMs: performance.now(), decodeMs: performance.now() - start, longestTaskMs};
}

async function run() {
  if (strategy.startsWith("js-")) return decodeOnly();
  const url = `${table}.parquet`;
  const booting = bootDuckDB();
  let decode: Promise<Decoded> | null = null;
  if (strategy === "parquet-wasm-main") decode = decodeWithParquetWasm(url, new URL("parquet_wasm_bg.wasm", location.href).href);
  else if (strategy === "parquet-wasm-worker") decode = decodeInWorker("parquet-wasm", url);
  else if (strategy === "hyparquet-main") decode = decodeWithHyparquet(url);
  else if (strategy === "hyparquet-worker") decode = decodeInWorker("hyparquet", url);
  const file = strategy === "duckdb-file" ? fetch(`${table}.duckdb`).then((response) => response.arrayBuffer()) : null;

  const decoded = decode ? await decode : null;
  const decodedAt = performance.now();
  const {db, readyMs} = await booting;
  const connection = await db.connect();
  const loadStart = performance.now();
  if (decoded) {
    await connection.insertArrowFromIPCStream(decoded.ipc, {name: table, create: true});
  } else if (file) {
    await db.registerFileBuffer(`${table}.duckdb`, new Uint8Array(await file));
    await connection.query(`ATTACH '${table}.duckdb' AS packed (READ_ONLY)`);
    await connection.query(`CREATE VIEW ${table} AS SELECT * FROM packed.${table}`);
  }
  const loadEnd = performance.now();
  let rows = 0;
  let revenue = 0;
  if (strategy !== "duckdb-only") {
    const result = await connection.query(`SELECT count(*)::INTEGER AS n, sum(revenue)::DOUBLE AS revenue FROM ${table}`);
    rows = result.get(0)!.n as number;
    revenue = result.get(0)!.revenue as number;
  }
  const queryableMs = performance.now();
  // A typical filter query once the table is in (what the Sales page runs when a filter changes).
  const filterTimes: number[] = [];
  if (strategy !== "duckdb-only") {
    const countries = ["United Kingdom", "France", "Germany", "EIRE", "Spain"];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      await connection.query(`SELECT date_trunc('month', invoice_date) AS month, sum(revenue) AS revenue FROM ${table}
        WHERE country = '${countries[i % countries.length]}' AND invoice_date >= TIMESTAMP '2011-0${1 + (i % 6)}-01' GROUP BY ALL ORDER BY 1`);
      filterTimes.push(performance.now() - start);
    }
  }
  await connection.close();
  window.benchResult = {
    strategy,
    table,
    rows,
    revenue,
    engineReadyMs: readyMs,
    decodeDoneMs: decoded ? decodedAt : null,
    decodeMs: decoded?.decodeMs ?? null,
    fetchMs: decoded?.fetchMs ?? null,
    insertMs: loadEnd - loadStart,
    queryableMs,
    longestTaskMs,
    filterQueryMs: filterTimes.sort((a, b) => a - b)
  };
}

run().catch((error) => (window.benchError = String(error?.stack ?? error)));
