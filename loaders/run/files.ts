import {createHash} from "node:crypto";
import {closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync} from "node:fs";
import {dirname, basename, join} from "node:path";

/** Writes a file so that readers see either the old or the new content, never a partial one. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temporary, "w");
  try {
    if (typeof content === "string") writeSync(fd, content);
    else writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** Moves a finished file into place atomically (same file system). */
export function replaceFile(from: string, to: string): void {
  renameSync(from, to);
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function removeQuietly(path: string): void {
  rmSync(path, {recursive: true, force: true});
}

/** JSON with object keys sorted, so equal values always serialise (and hash) the same. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.keys(inner)
            .sort()
            .map((key) => [key, inner[key]])
        )
      : inner
  );
}
