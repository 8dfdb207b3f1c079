// Runs the pipeline from JavaScript bundled from its TypeScript sources. Loading the sources through a
// TypeScript loader costs about a second of CPU per process: too much for a command whose job is often to
// find nothing to do. The bundle is built with esbuild when the sources change (a fraction of a second),
// under node_modules/.cache.
//
//   node loaders/launch.mjs [pipeline options]     the CLI (npm run pipeline)
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync} from "node:fs";
import {dirname, join, relative} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCES = ["loaders", "models", "src/shared"];

function sourceFiles(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Packages the bundle holds instead of loading them from node_modules, where their many modules cost
 * time on every command: zod's ES modules ~100 ms (the bundle holds the tree-shaken zod/mini instead, a few
 * ms), @duckdb/node-api's CommonJS ~110 ms of a run that opens DuckDB (its native binding stays a package).
 * bench/sql-timings.mjs patches DuckDB's classes from node_modules, so it asks for DuckDB from there.
 */
const BUNDLED_PACKAGES = process.env.RETAIL_DUCKDB_FROM_NODE_MODULES === "1" ? ["zod"] : ["zod", "@duckdb/node-api"];

/** Names the bundle by everything it is made of: sources (path, size, mtime), dependencies, Node, root. */
function bundleKey() {
  const hash = createHash("sha256").update(`${ROOT}\0${process.version}\0${BUNDLED_PACKAGES.join()}\0`);
  for (const file of [join(ROOT, "package-lock.json"), ...SOURCES.flatMap((dir) => sourceFiles(join(ROOT, dir))).sort()]) {
    const info = statSync(file);
    hash.update(`${relative(ROOT, file)}\0${info.size}\0${info.mtimeMs}\0`);
  }
  return hash.digest("hex").slice(0, 16);
}

async function bundleDir() {
  const dir = join(ROOT, "node_modules", ".cache", "retail-runtime", bundleKey());
  if (existsSync(join(dir, "cli.mjs"))) return dir;
  const {build} = await import("esbuild");
  const temporary = `${dir}.${process.pid}.tmp`;
  await build({
    entryPoints: {cli: join(ROOT, "loaders/cli.ts")},
    outdir: temporary,
    outExtension: {".js": ".mjs"},
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    plugins: [externalPackagesBut(BUNDLED_PACKAGES)],
    // The bundled CommonJS (DuckDB's API) requires its native binding, a package loaded from node_modules.
    banner: {js: 'import {createRequire as __retailCreateRequire} from "node:module";\nconst require = __retailCreateRequire(import.meta.url);'},
    define: {__RETAIL_PROJECT_ROOT__: JSON.stringify(ROOT)},
    logLevel: "error"
  });
  mkdirSync(dirname(dir), {recursive: true});
  try {
    renameSync(temporary, dir);
  } catch (error) {
    // Another process (two pipelines started at once) finished the same bundle first.
    rmSync(temporary, {recursive: true, force: true});
    if (!existsSync(join(dir, "cli.mjs"))) throw error;
  }
  pruneOldBundles(dirname(dir));
  return dir;
}

/** esbuild's `packages: "external"`, but the packages named (and their subpaths) are bundled. */
function externalPackagesBut(bundled) {
  return {
    name: "external-packages-but",
    setup(build) {
      build.onResolve({filter: /^[^./]/}, (args) => {
        const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
        return bundled.includes(name) ? undefined : {path: args.path, external: true};
      });
    }
  };
}

/** Removes bundles of older sources no process has created for a day (a running one may still use one). */
function pruneOldBundles(parent) {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of readdirSync(parent)) {
    const path = join(parent, name);
    if (statSync(path).mtimeMs < dayAgo) rmSync(path, {recursive: true, force: true});
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await import(pathToFileURL(join(await bundleDir(), "cli.mjs")).href);
}
