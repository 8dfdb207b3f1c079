// Worker-thread entry: a pooled worker (loaders/run/worker.ts) runs one exported function of a module per
// message and posts back its result, then waits for the next call. Modules are normally bundled JavaScript;
// a TypeScript module (a caller that bypassed the bundling) gets tsx first.
import {parentPort} from "node:worker_threads";

let tsx;
parentPort.on("message", async ({module, name, args}) => {
  try {
    if (/\.[mc]?ts$/.test(new URL(module).pathname)) ((tsx ??= import("tsx/esm/api").then((api) => api.register())), await tsx);
    const exports = await import(module);
    if (typeof exports[name] !== "function") throw new Error(`${module} has no exported function ${name}`);
    parentPort.postMessage({ok: true, value: await exports[name](...args)});
  } catch (error) {
    parentPort.postMessage({ok: false, message: error?.message ?? String(error), stack: error?.stack});
  }
});
