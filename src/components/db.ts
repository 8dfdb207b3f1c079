/**
 * The page's database: one DuckDB-WASM instance (from node_modules, in a module worker), booted on first
 * use, with snapshots attached lazily by name the first time a query mentions them. Each snapshot arrives
 * in the one form the site ships it (snapshot-files.ts; nothing here contacts another host):
 *
 * - A line-grain snapshot is a read-only DuckDB file packed from its Parquet file by the pipeline
 *   (loaders/site/packed.ts; DuckDB-WASM's own Parquet reader is an extension it would download). A large
 *   one is read over HTTP range requests: it is registered by URL, and DuckDB-WASM's own HTTP file system
 *   (not the httpfs extension) fetches only the blocks a query needs, so a one-month query on `sales` reads
 *   a fraction of the table. A small one, or any file from a server that does not answer range requests
 *   (`python3 -m http.server`), is downloaded whole while the engine boots; for a large one the page then
 *   says, in one line, that every table is downloaded in full.
 * - Any other snapshot is its Parquet file (the one the fast path decodes), read with parquet-wasm into
 *   Arrow and inserted as a table: these are small (one row per product, customer, day or model).
 */
import type * as duckdb from "@duckdb/duckdb-wasm";
import type {Table} from "apache-arrow";
import {snapshotFile, SNAPSHOT_FILES} from "./snapshot-files.js";
import {bindParameters} from "./sql-parameters.js";
import {explainSqlError} from "./sql-errors.js";
import {parquetWasm} from "./parquet-wasm.js";

// The exception-handling build only: every current browser supports WebAssembly exceptions.
const DUCKDB_MODULE = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");
const DUCKDB_WORKER = import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js");

interface Engine {
  db: duckdb.AsyncDuckDB;
  connection: duckdb.AsyncDuckDBConnection;
}

let engine: Promise<Engine> | null = null;
const attached = new Map<string, Promise<void>>();
const timings: Record<string, number> = {};

/** Milestones of this page's database (ms since navigation), for the performance tests and the bench. */
export function databaseTimings(): Readonly<Record<string, number>> {
  return timings;
}

/** The page's DuckDB-WASM, booting it on first call. Start it early with `preload()` to overlap work. */
export function database(): Promise<Engine> {
  return (engine ??= boot());
}

async function boot(): Promise<Engine> {
  timings.bootStart = performance.now();
  performance.mark("duckdb boot start");
  // The worker (750 kB of JavaScript) starts loading at once; the client library is imported on first use
  // (with apache-arrow, which it needs, in parallel), so pages that only draw from the fast path never
  // load or parse either.
  const worker = new Worker(DUCKDB_WORKER, {type: "module"});
  const [{AsyncDuckDB, ConsoleLogger, LogLevel}] = await Promise.all([import("@duckdb/duckdb-wasm"), import("apache-arrow")]);
  const db = new AsyncDuckDB(new ConsoleLogger(LogLevel.WARNING), worker);
  await db.instantiate(DUCKDB_MODULE);
  // forceFullHTTPReads defaults to true in DuckDB-WASM: without turning it off, a file registered by URL is
  // downloaded whole on first read. Full reads stay allowed, as the fallback for servers without ranges.
  await db.open({filesystem: {forceFullHTTPReads: false, allowFullHTTPReads: true, reliableHeadRequests: true}});
  const connection = await db.connect();
  // Belt and braces: never fetch an extension, even if a query asks for one.
  await connection.query("SET autoinstall_known_extensions = false; SET autoload_known_extensions = false");
  timings.engineReady = performance.now();
  performance.mark("duckdb ready");
  return {db, connection};
}

/**
 * Makes snapshots queryable by name (idempotent; concurrent callers share one load). The packed file is
 * fetched while the engine boots, so a first query costs about the boot time alone.
 */
export function attachSnapshots(...names: string[]): Promise<void> {
  return Promise.all(names.map(attachSnapshot)).then(() => undefined);
}

function attachSnapshot(name: string): Promise<void> {
  let loading = attached.get(name);
  if (!loading) {
    loading = attach(name);
    attached.set(name, loading);
    loading.catch(() => attached.delete(name)); // let a later query retry (e.g. after a network hiccup)
  }
  return loading;
}

/** Files up to this size are downloaded whole while the engine boots (a few range round trips cost more). */
export const WHOLE_FILE_BYTES = 4 * 1024 * 1024;

async function attach(name: string): Promise<void> {
  const engine = database(); // boots while the file is probed and fetched
  const {form, url: href} = snapshotFile(name);
  const url = new URL(href(), location.href).href;
  if (form === "parquet") await insertParquet(name, url, engine);
  else await attachPacked(name, url, engine);
  timings[`attached:${name}`] = performance.now();
  performance.mark(`snapshot attached: ${name}`);
}

const missingFile = (name: string, url: string, status: number) =>
  new Error(`could not load snapshot ${name} from ${url}: HTTP ${status}; rebuild the site with \`npm run build\``);

async function attachPacked(name: string, url: string, engine: Promise<Engine>): Promise<void> {
  // A one-byte range request answers both questions at once: whether the server serves ranges (206, with the
  // size in Content-Range) and, when it does not (200), it already is the whole file.
  const probe = await fetch(url, {headers: {Range: "bytes=0-0"}});
  if (!probe.ok) throw missingFile(name, url, probe.status);
  const download = (response: Response) => {
    if (!response.ok) throw missingFile(name, url, response.status);
    return response.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  };
  let bytes: Promise<Uint8Array> | null = null;
  if (probe.status === 206) {
    const size = Number(probe.headers.get("content-range")?.split("/")[1]);
    await probe.arrayBuffer(); // the one byte
    if (size <= WHOLE_FILE_BYTES) bytes = fetch(url).then(download);
  } else {
    bytes = download(probe);
    const size = Number(probe.headers.get("content-length"));
    if (size > WHOLE_FILE_BYTES) noticeWholeDownloads(size);
  }
  const {db, connection} = await engine;
  const file = `${name}.duckdb`;
  if (bytes) await db.registerFileBuffer(file, await bytes);
  else {
    const {DuckDBDataProtocol} = await import("@duckdb/duckdb-wasm");
    await db.registerFileURL(file, url, DuckDBDataProtocol.HTTP, false);
  }
  await connection.query(`ATTACH '${file}' AS "snapshot_${name}" (READ_ONLY)`);
  await connection.query(`CREATE OR REPLACE VIEW main."${name}" AS SELECT * FROM "snapshot_${name}".main."${name}"`);
}

async function insertParquet(name: string, url: string, engine: Promise<Engine>): Promise<void> {
  const [response, parquet] = await Promise.all([fetch(url), parquetWasm()]);
  if (!response.ok) throw missingFile(name, url, response.status);
  const stream = parquet.readParquet(new Uint8Array(await response.arrayBuffer())).intoIPCStream();
  const {connection} = await engine;
  await connection.insertArrowFromIPCStream(stream, {name, create: true});
}

let noticed = false;

/** One line at the top of the page, once: this server makes every table a full download. */
function noticeWholeDownloads(size: number): void {
  if (noticed || typeof document === "undefined") return;
  noticed = true;
  const notice = document.createElement("p");
  notice.className = "note";
  notice.dataset.notice = "whole-downloads";
  notice.textContent = `This server does not answer range requests, so each table is downloaded whole (${(size / 1024 / 1024).toFixed(1)} MB and up) before it can be queried; serve the site from a host that supports them (most do) to read only what a query needs.`;
  (document.querySelector("#observablehq-main") ?? document.body).prepend(notice);
}

/** Starts booting the engine and loading these snapshots now, without waiting (e.g. at page load). */
export function preload(...names: string[]): void {
  attachSnapshots(...names).catch((error) => console.warn(`preloading ${names.join(", ")} failed:`, error));
}

/** Names of every snapshot the site ships. */
export const snapshotNames = Object.keys(SNAPSHOT_FILES);

/**
 * Runs a query with `?` placeholders bound to `params` (never spliced into the text). Snapshots the query
 * mentions are attached first. Returns an Apache Arrow table: `count(*)` columns are BigInt and
 * `sum(INTEGER)` is HUGEINT, so cast in SQL (`count(*)::INTEGER`, `sum(quantity)::BIGINT::DOUBLE`);
 * TIMESTAMPs are epoch milliseconds of the wall-clock time (read them with UTC getters).
 */
export async function query(text: string, params: readonly unknown[] = []): Promise<Table> {
  // Fetch the snapshots' files while the engine boots, not after.
  const attaching = attachSnapshots(...mentionedSnapshots(text));
  const {connection} = await database();
  await attaching;
  for (let attempt = 0; ; attempt++) {
    try {
      if (params.length === 0) return await connection.query(text);
      const statement = await connection.prepare(text);
      try {
        return await statement.query(...(params as never[]));
      } finally {
        await statement.close();
      }
    } catch (error) {
      // A snapshot named in a way the scan missed (e.g. quoted): attach it and try again.
      const message = String((error as Error)?.message);
      const missing = /Table with name "?([\w]+)"? does not exist/.exec(message)?.[1];
      if (missing && !(missing in SNAPSHOT_FILES)) throw new Error(explainSqlError(message, snapshotNames));
      if (!missing || attempt >= snapshotNames.length) throw error;
      await attachSnapshots(missing);
    }
  }
}

/**
 * Snapshot names that occur as words in the query, outside string literals and comments. A column that
 * shares a snapshot's name (`orders`) only attaches a table the query did not need.
 */
export function mentionedSnapshots(text: string): string[] {
  const code = text.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, " ");
  const words = new Set(code.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
  return snapshotNames.filter((name) => words.has(name));
}

/**
 * The `sql` tagged template, with Observable Framework's semantics, so ```sql cells work in any page that
 * imports it: `${value}` becomes a bound parameter, an array becomes a list of them (for `IN (${list})`),
 * and the result is an Arrow table.
 */
export function sql(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): Promise<Table> {
  const {text, params} = bindParameters(strings, values);
  return query(text, params);
}
