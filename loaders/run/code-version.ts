import {createHash} from "node:crypto";
import {mkdirSync, readFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {PROJECT_ROOT} from "../paths.js";
import {importClosures, packageVersion} from "./closure.js";
import {sha256, stableJson, writeFileAtomic} from "./files.js";

export interface CodeVersionSettings {
  /** The folder module paths are relative to (default: the project root). */
  root?: string;
  /** Where closures are cached (default: node_modules/.cache/retail-code under the root); null for no cache. */
  cacheDir?: string | null;
}

/** A module's closure as last computed: the SHA-256 of each of its files, and the packages they import. */
interface CachedClosure {
  files: Record<string, string>;
  packages: string[];
}

const CACHE_FORMAT = 1;

/**
 * Each module's code version (modules by path from the root, e.g. `loaders/stages/clean.ts`): a hash of the
 * content of every project file in its import closure, of the versions of the packages those import, and of
 * DuckDB's version. Paths are relative to the root, so the version is the same from the sources (tsx, the
 * tests), from the CLI bundle, and in a copy of the project elsewhere. Closures are cached: a cached closure
 * stands while every one of its files has the content it had, since only an edit can change what a file imports.
 */
export async function codeVersions(modules: readonly string[], settings: CodeVersionSettings = {}): Promise<Map<string, string>> {
  const root = settings.root ?? PROJECT_ROOT;
  const cacheFile = settings.cacheDir === null ? null : join(settings.cacheDir ?? join(root, "node_modules", ".cache", "retail-code"), "closures.json");
  const hashes = new Map<string, string | null>();
  const hashOf = (path: string) => {
    if (!hashes.has(path)) hashes.set(path, fileHash(join(root, path)));
    return hashes.get(path)!;
  };

  const cache = cacheFile ? readCache(cacheFile) : {};
  const fresh = (closure: CachedClosure | undefined) => closure !== undefined && Object.entries(closure.files).every(([path, hash]) => hashOf(path) === hash);
  let closures = modules.map((module) => cache[module]);
  if (!closures.every(fresh)) {
    const computed = await importClosures(root, modules);
    closures = modules.map((module) => {
      const {files, packages} = computed.get(module)!;
      return {files: Object.fromEntries(files.map((path) => [path, hashOf(path)!])), packages};
    });
    if (cacheFile) writeCache(cacheFile, {...cache, ...Object.fromEntries(modules.map((module, index) => [module, closures[index]]))});
  }

  const versions = new Map<string, string>();
  const duckdb = packageVersion(root, "@duckdb/node-api");
  modules.forEach((module, index) => {
    const {files, packages} = closures[index]!;
    const material = {files, packages: packages.map((name) => `${name}@${packageVersion(root, name)}`), duckdb};
    versions.set(module, sha256(stableJson(material)).slice(0, 16));
  });
  return versions;
}

function fileHash(path: string): string | null {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return null;
  }
}

function readCache(file: string): Record<string, CachedClosure> {
  try {
    const cache = JSON.parse(readFileSync(file, "utf8")) as {format: number; closures: Record<string, CachedClosure>};
    return cache.format === CACHE_FORMAT ? cache.closures : {};
  } catch {
    return {};
  }
}

function writeCache(file: string, closures: Record<string, CachedClosure>): void {
  mkdirSync(dirname(file), {recursive: true});
  writeFileAtomic(file, JSON.stringify({format: CACHE_FORMAT, closures}));
}
