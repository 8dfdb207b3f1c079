import {createHash} from "node:crypto";
import {existsSync, mkdirSync, renameSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {Worker} from "node:worker_threads";
import {projectPath} from "../paths.js";

/**
 * Calls `module`'s exported function `name` with `args` in a worker thread, so CPU-heavy model fitting
 * runs in parallel with other stages instead of blocking the event loop. Arguments and the result are
 * copied with the structured-clone algorithm (typed arrays, plain objects and arrays are fine).
 *
 * A TypeScript module is first bundled to plain JavaScript with esbuild (once per process, written under
 * node_modules/.cache and named by its content), so the worker starts without a TypeScript loader: that
 * start-up cost about half a second of CPU per worker.
 */
export async function inWorker<T>(module: string | URL, name: string, ...args: unknown[]): Promise<T> {
  const url = await runnable(module instanceof URL ? module.href : module);
  return new Promise((resolve, reject) => {
    const worker = new Worker(projectPath("loaders/run/worker-entry.mjs"), {workerData: {module: url, name, args}});
    let settled = false;
    worker.once("message", (message: {ok: true; value: T} | {ok: false; message: string; stack?: string}) => {
      settled = true;
      if (message.ok) resolve(message.value);
      else {
        const error = new Error(message.message);
        if (message.stack) error.stack = message.stack;
        reject(error);
      }
      void worker.terminate();
    });
    worker.once("error", (error) => {
      if (!settled) reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`worker for ${url}#${name} exited with code ${code} before answering`));
    });
  });
}

const bundles = new Map<string, Promise<string>>();

/** A URL the worker can import without a TypeScript loader: the module itself, or its bundle. */
function runnable(url: string): Promise<string> {
  if (!/\.[mc]?ts$/.test(new URL(url).pathname)) return Promise.resolve(url);
  let bundle = bundles.get(url);
  if (!bundle) {
    bundle = bundleModule(url);
    bundles.set(url, bundle);
  }
  return bundle;
}

const CACHE = projectPath("node_modules/.cache/retail-workers");

async function bundleModule(url: string): Promise<string> {
  const {build} = await import("esbuild");
  const result = await build({
    entryPoints: [fileURLToPath(url)],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    write: false,
    logLevel: "silent"
  });
  const code = result.outputFiles[0].contents;
  const file = join(CACHE, `${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(CACHE, {recursive: true});
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, file);
  }
  return pathToFileURL(file).href;
}
