// Worker-thread entry (plain JavaScript so it loads before TypeScript support does): registers tsx,
// then runs one exported function of a module and posts back its result.
import {parentPort, workerData} from "node:worker_threads";
import {register} from "tsx/esm/api";

register();
const {module, name, args} = workerData;
try {
  const exports = await import(module);
  if (typeof exports[name] !== "function") throw new Error(`${module} has no exported function ${name}`);
  parentPort.postMessage({ok: true, value: await exports[name](...args)});
} catch (error) {
  parentPort.postMessage({ok: false, message: error.message, stack: error.stack});
}
