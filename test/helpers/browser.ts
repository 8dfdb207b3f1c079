import {createReadStream, mkdtempSync, rmSync, statSync} from "node:fs";
import {createServer, type Server} from "node:http";
import {tmpdir} from "node:os";
import {extname, join, normalize, sep} from "node:path";
import type {AddressInfo} from "node:net";
import {chromium, type BrowserContext} from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`); tests never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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
  close(): Promise<void>;
}

/**
 * Serves a folder on 127.0.0.1 at a free port, the way any static host would: extensionless paths get
 * `.html` (Framework's clean URLs), directories get `index.html`.
 */
export async function serveStatic(root: string): Promise<StaticServer> {
  const requests: string[] = [];
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
      response.writeHead(200, {"content-type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream", "content-length": stats.size});
      if (request.method === "HEAD") return void response.end();
      return void createReadStream(path).pipe(response);
    }
    response.writeHead(404, {"content-type": "text/plain"}).end(`not found: ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const {port} = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
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
