import {createReadStream, mkdtempSync, rmSync, statSync} from "node:fs";
import {createServer, type Server} from "node:http";
import {tmpdir} from "node:os";
import {extname, join, normalize, sep} from "node:path";
import type {AddressInfo} from "node:net";
import {chromium, type BrowserContext, type Request} from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`); tests never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether a failed request is a failure: not a read of a data file the page gave up itself (`net::ERR_ABORTED`:
 * a reload or a navigation leaving DuckDB-WASM's range reads in flight). A page that gave up a read it needed
 * still fails its test by what it does not show; a server's error shows as its HTTP status.
 */
export const failedForReal = (request: Request) =>
  !(request.failure()?.errorText === "net::ERR_ABORTED" && new URL(request.url()).pathname.startsWith("/_file/data/"));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".parquet": "application/vnd.apache.parquet",
  ".duckdb": "application/octet-stream",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon"
};

export interface StaticServer {
  origin: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** Every GET of a file with its path, status and the bytes sent (a range's length, or the whole file). */
  transfers: {path: string; status: number; bytes: number; range: string | null}[];
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** Answer `Range: bytes=a-b` requests with 206 and `Accept-Ranges: bytes`, as most static hosts do. Default: true. */
  ranges?: boolean;
  /**
   * Send each file's validators (`ETag`, `Last-Modified`), as most static hosts do, so that the browser
   * keeps the ranges it fetched. DuckDB-WASM's read-ahead asks for overlapping ranges, which without them
   * are all transferred again (26.8 MB read of a 10.5 MB file for one Customer page). Default: false, so
   * that a test's pages sharing one browser each transfer what they read; the benchmark turns it on.
   */
  validators?: boolean;
}

/** What most static hosts send with a file: its validators, so that a browser may keep what it fetched. */
function validators(stats: {size: number; mtimeMs: number; mtime: Date}): Record<string, string> {
  return {etag: `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`, "last-modified": stats.mtime.toUTCString()};
}

/**
 * Serves a folder on 127.0.0.1 at a free port, the way any static host would: extensionless paths get
 * `.html` (Framework's clean URLs), directories get `index.html`; with `ranges: false`, like
 * `python3 -m http.server`, Range headers are ignored and every file is sent whole.
 */
export async function serveStatic(root: string, {ranges = true, validators: withValidators = false}: StaticServerOptions = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const transfers: StaticServer["transfers"] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    requests.push(url.pathname);
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, "");
    if (relative.split(sep).includes("..")) return void response.writeHead(403).end();
    const candidates = [relative, `${relative}.html`, join(relative, "index.html")];
    for (const candidate of candidates) {
      const path = join(root, candidate);
      let stats;
      try {
        stats = statSync(path);
      } catch {
        continue;
      }
      if (!stats.isFile()) continue;
      const type = CONTENT_TYPES[extname(path)] ?? "application/octet-stream";
      const kept = withValidators ? validators(stats) : {};
      const range = ranges ? /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "") : null;
      if (range && Number(range[1]) < stats.size) {
        const start = Number(range[1]);
        const end = Math.min(range[2] ? Number(range[2]) : stats.size - 1, stats.size - 1);
        response.writeHead(206, {
          "content-type": type,
          "accept-ranges": "bytes",
          "content-range": `bytes ${start}-${end}/${stats.size}`,
          "content-length": end - start + 1,
          ...kept
        });
        if (request.method === "HEAD") return void response.end();
        transfers.push({path: url.pathname, status: 206, bytes: end - start + 1, range: `${start}-${end}`});
        return void createReadStream(path, {start, end}).pipe(response);
      }
      response.writeHead(200, {
        "content-type": type,
        "content-length": stats.size,
        ...(ranges ? {"accept-ranges": "bytes"} : {}),
        ...kept
      });
      if (request.method === "HEAD") return void response.end();
      transfers.push({path: url.pathname, status: 200, bytes: stats.size, range: null});
      return void createReadStream(path).pipe(response);
    }
    response.writeHead(404, {"content-type": "text/plain"}).end(`not found: ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const {port} = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    transfers,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Debian's headless Chromium with a fresh profile (so a cold cache: a first visit) and no
 * background traffic.
 */
export async function launchChromium(options: {acceptDownloads?: boolean} = {}): Promise<LaunchedBrowser> {
  try {
    statSync(CHROMIUM_PATH);
  } catch {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH`);
  }
  const profile = mkdtempSync(join(tmpdir(), "retail-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    acceptDownloads: options.acceptDownloads ?? true,
    viewport: {width: 1280, height: 900},
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, {recursive: true, force: true});
    }
  };
}
