// Worker-thread entry: runs one exported function of a module and posts back its result. Modules are
// normally bundled JavaScript; a TypeScript module (a caller that bypassed the bundling) gets tsx first.
import {parentPort, workerData} from "node:worker_threads";

const {module, name, args} = workerData;
try {
  if (/\.[mc]?ts$/.test(new URL(module).pathname)) (await import("tsx/esm/api")).register();
  const exports = await import(module);
  if (typeof exports[name] !== "function") throw new Error(`${module} has no exported function ${name}`);
  parentPort.postMessage({ok: true, value: await exports[name](...args)});
} catch (error) {
  parentPort.postMessage({ok: false, message: error.message, stack: error.stack});
}
