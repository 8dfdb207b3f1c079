// `npm run build`: brings the snapshots up to date (the pipeline, with any options given), then has
// Observable Framework build the static site into dist/ — unless nothing the site is built from changed
// since the last build: its pages, components and config, the site's copy of the snapshots (which the
// pipeline rewrites only when their content changes) and the installed packages. Framework rebuilds every
// page each time (about 13 s here), so a rebuild that has nothing to do skips it.
//
//   node loaders/site/build.mjs [pipeline options]
import {spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import {fileURLToPath} from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DIST = join(ROOT, "dist");
const STAMP = join(DIST, ".built-from");
const COMPONENT_PLOT = join(ROOT, "src", "components", "vendor", "plot.js");

function files(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    if (entry.name === ".observablehq") return []; // Framework's own cache
    const path = join(dir, entry.name);
    // Plot's bundle for the components, which the config writes during the build from what the key holds
    // already (the lock file and framework-offline.ts): `writeComponentPlot`.
    if (path === COMPONENT_PLOT) return [];
    return entry.isDirectory() ? files(path) : [path];
  });
}

/** Names a build by everything it is made of (path, size and modification time of each file). */
export function siteInputsKey() {
  const hash = createHash("sha256").update(`${ROOT}\0${process.version}\0`);
  const inputs = [
    join(ROOT, "observablehq.config.ts"),
    join(ROOT, "package-lock.json"),
    join(ROOT, "loaders/site/framework-offline.ts"),
    ...files(join(ROOT, "src"))
  ];
  for (const file of inputs.sort()) {
    const info = statSync(file);
    hash.update(`${relative(ROOT, file)}\0${info.size}\0${info.mtimeMs}\0`);
  }
  return hash.digest("hex");
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, {cwd: ROOT, stdio: "inherit", env: {...process.env, ...env}});
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const started = performance.now();
run(process.execPath, [join(ROOT, "loaders/launch.mjs"), ...process.argv.slice(2)]);
const key = siteInputsKey();
if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === key) {
  console.log(`✓ Site up to date in dist/ (nothing it is built from changed) — ${Math.round(performance.now() - started)} ms`);
} else {
  run(process.execPath, [join(ROOT, "node_modules/@observablehq/framework/dist/bin/observable.js"), "build"], {OBSERVABLE_TELEMETRY_DISABLE: "true"});
  writeFileSync(STAMP, key);
}
