import {existsSync, readFileSync} from "node:fs";
import {isBuiltin} from "node:module";
import {dirname, extname, isAbsolute, join, relative, resolve} from "node:path";
import type {Metafile, Plugin} from "esbuild";

/** What a module's code is made of: project files (paths from the root, sorted) and the npm packages they import. */
export interface Closure {
  files: string[];
  packages: string[];
}

const SOURCE = /\.[mc]?[jt]s$/;
/** `projectUrl("models/x/fit.ts")`: a module handed to a worker thread by its path from the project root. */
const PROJECT_URL = /\bprojectUrl\(\s*(["'`])([^"'`]+)\1\s*\)/g;
/** `new URL("../x/fit.ts", import.meta.url)`: the same, relative to the referring module. */
const RELATIVE_URL = /\bnew URL\(\s*(["'`])([^"'`]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/**
 * The import closure of each module (paths from `root`), from one esbuild bundle of all of them: static and
 * dynamic imports, and the modules a file hands to a worker by URL, which no import statement names.
 */
export async function importClosures(root: string, modules: readonly string[]): Promise<Map<string, Closure>> {
  const {build} = await import("esbuild");
  const {metafile} = await build({
    entryPoints: modules.map((module) => join(root, module)),
    absWorkingDir: root,
    bundle: true,
    metafile: true,
    write: false,
    outdir: "closure",
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "silent",
    plugins: [workerReferences(root)]
  });
  return new Map(modules.map((module) => [module, closureOf(metafile, module)]));
}

/** Adds an import of every module a file names by URL, so the bundler follows it like any other import. */
function workerReferences(root: string): Plugin {
  return {
    name: "worker-references",
    setup(build) {
      build.onLoad({filter: SOURCE}, ({path}) => {
        if (relative(root, path).split(/[\\/]/)[0] === "node_modules") return undefined;
        const contents = readFileSync(path, "utf8");
        const targets = [
          ...[...contents.matchAll(PROJECT_URL)].map((match) => join(root, match[2])),
          ...[...contents.matchAll(RELATIVE_URL)].map((match) => resolve(dirname(path), match[2]))
        ].filter((target) => SOURCE.test(target) && existsSync(target));
        if (targets.length === 0) return undefined;
        return {
          contents: contents + targets.map((target) => `\nimport ${JSON.stringify(target)};`).join(""),
          loader: /\.[mc]?ts$/.test(extname(path)) ? "ts" : "js"
        };
      });
    }
  };
}

function closureOf(metafile: Metafile, module: string): Closure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (files.has(path)) return;
    files.add(path);
    for (const entry of metafile.inputs[path]?.imports ?? []) {
      if (!entry.external) visit(entry.path);
      else if (!isBuiltin(entry.path) && !isAbsolute(entry.path) && !entry.path.startsWith(".")) packages.add(packageName(entry.path));
    }
  };
  visit(module);
  return {files: [...files].sort(), packages: [...packages].sort()};
}

/** `@duckdb/node-api/x` → `@duckdb/node-api`, `ml-matrix` → `ml-matrix`. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The version in the package's package.json under `root`'s node_modules, or "not installed". */
export function packageVersion(root: string, name: string): string {
  const file = join(root, "node_modules", name, "package.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as {version: string}).version : "not installed";
}
