import {createHash} from "node:crypto";
import {existsSync, mkdirSync, renameSync, writeFileSync} from "node:fs";
import {isAbsolute, join, relative} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {availableParallelism} from "node:os";
import {Worker} from "node:worker_threads";
import {PROJECT_ROOT, projectPath} from "../paths.js";
import {packageVersion} from "./closure.js";
import {codeVersions} from "./code-version.js";

/**
 * Calls `module`'s exported function `name` with `args` in a worker thread, so CPU-heavy model fitting
 * runs in parallel with other stages instead of blocking the event loop. Arguments and the result are
 * copied with the structured-clone algorithm (typed arrays, plain objects and arrays are fine).
 *
 * A TypeScript module is first bundled to plain JavaScript with esbuild (written under node_modules/.cache
 * and named by its content), so the worker starts without a TypeScript loader: that start-up cost about
 * half a second of CPU per worker. A project module's bundle is found again by its code version (the
 * content of its import closure), so a run whose models did not change starts no esbuild at all.
 */
export async function inWorker<T>(module: string | URL, name: string, ...args: unknown[]): Promise<T> {
  return runInWorker<T>({module, name, args});
}

export interface WorkerCall {
  module: string | URL;
  /** The module's exported function to call. */
  name: string;
  args: readonly unknown[];
  /** Largest JavaScript heap of the worker, in MB; past it the call fails with a WorkerMemoryError. Default: V8's. */
  memoryMb?: number;
  /** Aborting terminates the worker and rejects the call with the signal's reason. */
  signal?: AbortSignal;
}

/** The worker ran out of its heap budget; V8 stopped it instead of crashing the process. */
export class WorkerMemoryError extends Error {
  constructor(
    readonly call: string,
    readonly memoryMb: number | undefined
  ) {
    super(`${call} ran out of memory${memoryMb ? ` (heap limit ${memoryMb} MB)` : ""}`);
  }
}

/** `inWorker` with a memory limit and cancellation. */
export async function runInWorker<T>({module, name, args, memoryMb, signal}: WorkerCall): Promise<T> {
  signal?.throwIfAborted();
  const url = await runnable(module instanceof URL ? module.href : module);
  signal?.throwIfAborted();
  const label = `${describeModule(module)}#${name}`;
  const worker = take(memoryMb);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (reusable: boolean, action: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (reusable) giveBack(worker, memoryMb);
      else void worker.terminate();
      action();
    };
    const onAbort = () => settle(false, () => reject(signal!.reason));
    const onMessage = (message: {ok: true; value: T} | {ok: false; message: string; stack?: string}) =>
      settle(true, () => {
        if (message.ok) resolve(message.value);
        else {
          const error = new Error(message.message);
          if (message.stack) error.stack = message.stack;
          reject(error);
        }
      });
    const onError = (error: NodeJS.ErrnoException) =>
      settle(false, () => reject(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new WorkerMemoryError(label, memoryMb) : error));
    const onExit = (code: number) => settle(false, () => reject(new Error(`worker for ${label} exited with code ${code} before answering`)));
    signal?.addEventListener("abort", onAbort, {once: true});
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    worker.postMessage({module: url, name, args});
  });
}

/**
 * Worker threads are kept for the next call instead of being started for each one: a start costs about
 * 0.2 CPU-seconds (a fresh V8 isolate and Node's bootstrap), and a run makes two calls per model (fit and
 * score). Idle workers are unreferenced, so they never keep the process alive; a worker that was stopped, ran
 * out of memory or crashed is never reused. Workers differ only in their heap limit, the pool's key.
 */
const idle = new Map<string, Worker[]>();
const MAX_IDLE_PER_LIMIT = Math.max(2, availableParallelism());

function take(memoryMb: number | undefined): Worker {
  const worker = idle.get(String(memoryMb))?.pop();
  if (worker) {
    worker.ref();
    return worker;
  }
  return new Worker(projectPath("loaders/run/worker-entry.mjs"), {
    ...(memoryMb ? {resourceLimits: {maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(16, memoryMb / 16))}} : {})
  });
}

function giveBack(worker: Worker, memoryMb: number | undefined): void {
  const list = idle.get(String(memoryMb)) ?? [];
  if (list.length >= MAX_IDLE_PER_LIMIT) {
    void worker.terminate();
    return;
  }
  worker.unref();
  list.push(worker);
  idle.set(String(memoryMb), list);
}

/** Stops every idle worker (a long-lived process that is done with model calls for a while). */
export async function closeIdleWorkers(): Promise<void> {
  const workers = [...idle.values()].flat();
  idle.clear();
  await Promise.all(workers.map((worker) => worker.terminate()));
}

/** A module named by its path from the project root (for messages), whether given as a path or a URL. */
export function describeModule(module: string | URL): string {
  const path = module instanceof URL || module.startsWith("file:") ? fileURLToPath(module) : module;
  const root = projectPath("");
  return path.startsWith(root) ? path.slice(root.length).replace(/^\//, "") : path;
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

/** The bundle of a TypeScript module (by file URL) for a worker: its file URL under node_modules/.cache. */
export async function bundleModule(url: string): Promise<string> {
  const path = fileURLToPath(url);
  const fromRoot = relative(PROJECT_ROOT, path);
  const inProject = !fromRoot.startsWith("..") && !isAbsolute(fromRoot);
  // The code version covers the closure's files and imported packages; the bundler's version is the rest.
  const version = inProject ? (await codeVersions([fromRoot])).get(fromRoot)! : null;
  const known = version ? join(CACHE, `${fromRoot.replace(/[^A-Za-z0-9]+/g, "-")}-${version}-esbuild-${packageVersion(PROJECT_ROOT, "esbuild")}.mjs`) : null;
  if (known && existsSync(known)) return pathToFileURL(known).href;
  const {build} = await import("esbuild");
  const result = await build({
    entryPoints: [path],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    write: false,
    logLevel: "silent"
  });
  const code = result.outputFiles[0].contents;
  const file = known ?? join(CACHE, `${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(CACHE, {recursive: true});
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, file);
  }
  return pathToFileURL(file).href;
}
