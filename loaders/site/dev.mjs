// `npm run dev`: brings the snapshots up to date, then serves the site with Observable Framework's preview
// while the pipeline watches the raw folder (`--watch`): a file that lands there is in the open pages
// seconds later, without a reload (the pipeline rewrites the changed snapshots under src/data/, which the
// preview watches). A failed run leaves the previous snapshots served, with a banner saying why.
//
//   node loaders/site/dev.mjs [pipeline options] [--port N] [--host HOST] [--no-open]
import {spawn, spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PREVIEW_FLAGS = new Set(["--port", "--host"]);
const PREVIEW_SWITCHES = new Set(["--no-open", "--open", "--cors", "--no-cors"]);

const pipelineArgs = [];
const previewArgs = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [name] = argv[i].split("=");
  if (PREVIEW_SWITCHES.has(name)) previewArgs.push(argv[i]);
  else if (PREVIEW_FLAGS.has(name)) previewArgs.push(...(argv[i].includes("=") ? [argv[i]] : [argv[i], argv[++i]]));
  else pipelineArgs.push(argv[i]);
}

const launch = join(ROOT, "loaders/launch.mjs");
const first = spawnSync(process.execPath, [launch, ...pipelineArgs], {cwd: ROOT, stdio: "inherit"});
if (first.status !== 0) {
  if (first.status === 2 || !existsSync(join(ROOT, "src/data/manifest.json"))) process.exit(first.status ?? 1);
  console.error("Serving the previous snapshots; the pages show why the run failed until a run succeeds.");
}

// Each child in a process group of its own, so that Ctrl-C reaches it exactly once, from here (a second
// one would make the watcher stop at once instead of after the stage in progress).
const children = [
  spawn(process.execPath, [launch, "--watch", ...pipelineArgs], {cwd: ROOT, stdio: "inherit", detached: true}),
  spawn(process.execPath, [join(ROOT, "node_modules/@observablehq/framework/dist/bin/observable.js"), "preview", ...previewArgs], {
    cwd: ROOT,
    stdio: "inherit",
    detached: true,
    env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true"}
  })
];
let stopping = false;
const stop = (signal) => {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
let exitCode = 0;
await Promise.all(
  children.map(
    (child) =>
      new Promise((resolve) =>
        child.on("exit", (code) => {
          if (!stopping) {
            // One of them stopped on its own (a crash, a port in use): stop the other too.
            exitCode = code ?? 1;
            stop("SIGINT");
          }
          resolve();
        })
      )
  )
);
process.exit(exitCode);
