import {readFileSync, renameSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {PipelineOptions} from "./config.js";
import {DEFAULT_OPTIONS} from "./config.js";
import {duckdbApi} from "./db.js";
import {UsageError} from "./errors.js";

/**
 * Checks every `nonProductPatterns` entry against RE2, the dialect DuckDB's `regexp_matches` and
 * ClickHouse's `match` run (JavaScript's RegExp accepts lookarounds and backreferences, RE2 does not),
 * by compiling it in an in-memory DuckDB. Loading DuckDB takes about a second, so patterns already
 * checked are remembered in `<warehouseDir>/.checked-patterns.json`; the defaults need no check.
 */
export async function checkPatterns(options: Pick<PipelineOptions, "nonProductPatterns" | "warehouseDir">): Promise<void> {
  const cache = join(options.warehouseDir, ".checked-patterns.json");
  const known = new Set([...DEFAULT_OPTIONS.nonProductPatterns, ...readCache(cache)]);
  const unchecked = options.nonProductPatterns.filter((pattern) => !known.has(pattern));
  if (unchecked.length === 0) return;
  const {DuckDBInstance} = await duckdbApi();
  const instance = await DuckDBInstance.create(":memory:", {threads: "1", autoinstall_known_extensions: "false", autoload_known_extensions: "false"});
  try {
    const connection = await instance.connect();
    for (const pattern of unchecked) {
      try {
        await connection.run("SELECT regexp_matches('', $1, 'i')", [pattern]);
      } catch (error) {
        const reason = (error as Error).message.replace(/^Invalid Input Error: /, "");
        throw new UsageError(
          `invalid nonProductPatterns; not a regular expression: ${JSON.stringify(pattern)} (${reason}). ` +
            "Patterns use RE2 syntax, as DuckDB and ClickHouse run them: no lookahead or lookbehind, no backreferences"
        );
      }
      known.add(pattern);
    }
    connection.closeSync();
  } finally {
    instance.closeSync();
  }
  writeCache(
    cache,
    [...known].filter((pattern) => !DEFAULT_OPTIONS.nonProductPatterns.includes(pattern))
  );
}

function readCache(path: string): string[] {
  try {
    const list = JSON.parse(readFileSync(path, "utf8"));
    return Array.isArray(list) ? list.filter((item) => typeof item === "string") : [];
  } catch {
    return [];
  }
}

function writeCache(path: string, patterns: string[]): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(patterns.sort()) + "\n");
    renameSync(temporary, path);
  } catch {
    // Only a cache: the next run checks again.
  }
}
