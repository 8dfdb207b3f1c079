// Worker-thread entry: a pooled worker (loaders/run/worker.ts) runs one exported function of a module per
// message and posts back its result, then waits for the next call. Modules are normally bundled JavaScript;
// a TypeScript module (a caller that bypassed the bundling) gets tsx first.
import {Buffer} from "node:buffer";
import {parentPort} from "node:worker_threads";

let tsx;
parentPort.on("message", async ({module, name, args}) => {
  try {
    if (/\.[mc]?ts$/.test(new URL(module).pathname)) ((tsx ??= import("tsx/esm/api").then((api) => api.register())), await tsx);
    const exports = await import(module);
    if (typeof exports[name] !== "function") throw new Error(`${module} has no exported function ${name}`);
    const value = await exports[name](...args);
    const transfer = buffersOf(value);
    try {
      parentPort.postMessage({ok: true, value}, transfer);
    } catch {
      parentPort.postMessage({ok: true, value}); // a buffer that cannot be moved: copy everything instead
    }
  } catch (error) {
    parentPort.postMessage({ok: false, message: error?.message ?? String(error), stack: error?.stack});
  }
});

/**
 * The buffers of the typed arrays in a result (plain objects and arrays searched, a few levels deep), to be
 * moved to the caller instead of copied: a result is the worker's to give away, and at 100× the data the
 * recommendation lists alone are 8.6 M rows in twelve columns. Node's Buffers are left to be copied (small
 * ones share a pool that cannot be moved).
 */
function buffersOf(result) {
  const found = new Set();
  const visit = (value, depth) => {
    if (ArrayBuffer.isView(value)) {
      if (!Buffer.isBuffer(value) && value.buffer instanceof ArrayBuffer && value.buffer.byteLength >= 1024) found.add(value.buffer);
    } else if (depth < 4 && value !== null && typeof value === "object" && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  visit(result, 0);
  return [...found];
}
