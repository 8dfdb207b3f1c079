import {createHash} from "node:crypto";
import {createReadStream} from "node:fs";
import {readdir, stat} from "node:fs/promises";
import {join, relative, sep} from "node:path";

/** An input file found under the raw folder. */
export interface RawFile {
  /** Path relative to the raw folder, with forward slashes: the file's identity in lineage. */
  path: string;
  absolutePath: string;
  bytes: number;
  mtimeMs: number;
  /** SHA-256 of the file's bytes (hex). */
  sha256: string;
}

/** What a previous run knew about a path, so unchanged files need not be read again. */
export interface StatCacheEntry {
  path: string;
  bytes: number;
  mtimeMs: number;
  sha256: string;
}

const INPUT_FILE = /\.csv(\.gz)?$/i;

/**
 * Lists every `*.csv` and `*.csv.gz` below `rawDir` (hidden files and folders skipped), sorted by path,
 * with content hashes. A file whose size and modification time equal the cached ones keeps its cached
 * hash without being read.
 */
export async function discoverFiles(rawDir: string, cache: readonly StatCacheEntry[] = []): Promise<RawFile[]> {
  const cached = new Map(cache.map((entry) => [entry.path, entry]));
  const paths = await listInputFiles(rawDir);
  const files = await Promise.all(
    paths.map(async (absolutePath) => {
      const info = await stat(absolutePath);
      const path = relative(rawDir, absolutePath).split(sep).join("/");
      const hit = cached.get(path);
      const sha256 = hit && hit.bytes === info.size && hit.mtimeMs === info.mtimeMs ? hit.sha256 : await hashFile(absolutePath);
      return {path, absolutePath, bytes: info.size, mtimeMs: info.mtimeMs, sha256};
    })
  );
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Absolute paths of the input files below `dir` (hidden files and folders skipped), in directory order. */
export async function listInputFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, {withFileTypes: true});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listInputFiles(path)));
    else if (entry.isFile() && INPUT_FILE.test(entry.name)) found.push(path);
  }
  return found;
}

export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
