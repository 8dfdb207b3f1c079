import {Worker} from "node:worker_threads";

/**
 * Calls `module`'s exported function `name` with `args` in a worker thread, so CPU-heavy model fitting
 * runs in parallel with other stages instead of blocking the event loop. Arguments and the result are
 * copied with the structured-clone algorithm (typed arrays, plain objects and arrays are fine). TypeScript
 * modules load through tsx, which the worker registers itself, so this works under any runner.
 */
export function inWorker<T>(module: string | URL, name: string, ...args: unknown[]): Promise<T> {
  const url = module instanceof URL ? module.href : module;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./worker-entry.mjs", import.meta.url), {workerData: {module: url, name, args}});
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
