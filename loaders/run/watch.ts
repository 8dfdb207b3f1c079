import {createReadStream, watch as watchFolder, type FSWatcher} from "node:fs";
import {stat} from "node:fs/promises";
import {basename, dirname, relative, sep} from "node:path";
import {pipeline} from "node:stream/promises";
import {Writable} from "node:stream";
import {createGunzip} from "node:zlib";
import {listInputFiles} from "../extract/discover.js";

/**
 * The seed's FileSensor: watches the raw folder and runs the pipeline when input files were added,
 * changed or removed — once each changed file is complete (its size unchanged for `settleMs`, and a
 * gzip file readable to its intact trailer). Runs never overlap: changes that arrive during a run queue
 * exactly one more run, so a burst of files costs at most two runs.
 */
export interface WatchSettings {
  /** Runs the pipeline; resolves when the run is over, whatever its outcome (report failures inside). */
  run: (change: FolderChange | null) => Promise<void>;
  /**
   * Check the folder every this many seconds instead of waiting for change events: for network file
   * systems, where events do not arrive. Default: null (change events, with a check every minute besides).
   */
  pollSeconds?: number | null;
  /** How long a changed file's size must stay the same (and the folder quiet) before a run starts, in ms. Default: 500. */
  settleMs?: number;
  /** How long to wait for a gzip file that stays truncated before running anyway (the run then names it), in ms. Default: 60,000. */
  incompleteTimeoutMs?: number;
  /** Stops watching; a run in progress is the caller's to stop. */
  signal?: AbortSignal;
  /** Lines about what the watcher is waiting for. Default: none. */
  log?: (line: string) => void;
  /** Files outside the folder whose changes also start a run (the configuration file), by absolute path. Default: none. */
  alsoWatch?: readonly string[];
}

/** What changed in the folder since the last run (paths relative to it, sorted). */
export interface FolderChange {
  added: string[];
  changed: string[];
  removed: string[];
}

type Listing = Map<string, {size: number; mtimeMs: number}>;

/** Runs the pipeline now, then again whenever complete input files change, until `signal` aborts. */
export async function watchRawFolder(rawDir: string, settings: WatchSettings): Promise<void> {
  const {run, pollSeconds = null, settleMs = 500, incompleteTimeoutMs = 60_000, signal, log = () => {}, alsoWatch = []} = settings;
  const listFolder = (dir: string) => listFiles(dir, alsoWatch);
  if (signal?.aborted) return;
  let wake: (() => void) | null = null;
  let dirty = false;
  const poke = () => {
    dirty = true;
    wake?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        signal?.removeEventListener("abort", done);
        resolve();
      }
      wake = done;
      signal?.addEventListener("abort", done, {once: true});
    });

  const watchers: FSWatcher[] = [];
  if (pollSeconds === null) {
    try {
      watchers.push(watchFolder(rawDir, {recursive: true}, poke));
    } catch {
      log(`cannot watch ${rawDir} for changes; checking it every 60 s instead`);
    }
    for (const file of alsoWatch) {
      try {
        // The file's folder, so that a file created, replaced or deleted is noticed too.
        watchers.push(watchFolder(dirname(file), (_event, name) => (name === null || name === basename(file) ? poke() : undefined)));
      } catch {
        // its folder is gone: the periodic check still notices
      }
    }
    for (const watcher of watchers) watcher.on("error", () => undefined);
  }
  const interval = (pollSeconds ?? 60) * 1000;
  try {
    let seen = await listFolder(rawDir);
    await run(null);
    while (!signal?.aborted) {
      if (!dirty) await sleep(interval);
      dirty = false;
      if (signal?.aborted) break;
      let current = await listFolder(rawDir);
      if (sameListing(current, seen)) continue;
      // Wait for quiet: no event, and the listing unchanged, for settleMs.
      for (;;) {
        dirty = false;
        await sleep(settleMs);
        if (signal?.aborted) return;
        const again = await listFolder(rawDir);
        const stable = sameListing(again, current) && !dirty;
        current = again;
        if (stable) break;
      }
      const before = seen;
      const change = diffListings(before, current);
      if (change.added.length + change.changed.length + change.removed.length === 0) continue;
      const waited = await waitForGzipTrailers(rawDir, [...change.added, ...change.changed], {settleMs, incompleteTimeoutMs, signal, log});
      if (signal?.aborted) return;
      seen = waited ? await listFolder(rawDir) : current;
      dirty = false;
      await run(diffListings(before, seen));
      // Files that arrived during the run (dirty from an event, or a poll's listing) get the next pass at once.
      if (!sameListing(await listFolder(rawDir), seen)) dirty = true;
    }
  } finally {
    for (const watcher of watchers) watcher.close();
  }
}

/** The input files below `rawDir` (by path relative to it) and the extra files (by their own path), with size and time. */
async function listFiles(rawDir: string, extra: readonly string[]): Promise<Listing> {
  const listing: Listing = new Map();
  const found = (await listInputFiles(rawDir)).map((path) => [path, relative(rawDir, path).split(sep).join("/")] as const);
  for (const [path, name] of [...found, ...extra.map((path) => [path, basename(path)] as const)]) {
    try {
      const info = await stat(path);
      listing.set(name, {size: info.size, mtimeMs: info.mtimeMs});
    } catch {
      // removed between the listing and the stat, or an extra file that does not exist
    }
  }
  return listing;
}

function sameListing(a: Listing, b: Listing): boolean {
  if (a.size !== b.size) return false;
  for (const [path, info] of a) {
    const other = b.get(path);
    if (!other || other.size !== info.size || other.mtimeMs !== info.mtimeMs) return false;
  }
  return true;
}

export function diffListings(before: Listing, after: Listing): FolderChange {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [path, info] of after) {
    const old = before.get(path);
    if (!old) added.push(path);
    else if (old.size !== info.size || old.mtimeMs !== info.mtimeMs) changed.push(path);
  }
  for (const path of before.keys()) if (!after.has(path)) removed.push(path);
  return {added: added.sort(), changed: changed.sort(), removed: removed.sort()};
}

/**
 * Waits until every changed gzip file reads to its trailer (a copy still in progress ends early), up to
 * `incompleteTimeoutMs`; returns whether it had to wait.
 */
async function waitForGzipTrailers(
  rawDir: string,
  paths: readonly string[],
  {settleMs, incompleteTimeoutMs, signal, log}: {settleMs: number; incompleteTimeoutMs: number; signal?: AbortSignal; log: (line: string) => void}
): Promise<boolean> {
  const started = Date.now();
  let waited = false;
  for (const path of paths.filter((name) => /\.gz$/i.test(name))) {
    while (!(await gzipComplete(`${rawDir}/${path}`))) {
      if (signal?.aborted || Date.now() - started > incompleteTimeoutMs) return waited;
      if (!waited) log(`waiting for ${path} to be complete (its gzip stream ends early)`);
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, settleMs));
    }
  }
  return waited;
}

/** Whether a gzip file decompresses to its end (a truncated one fails with "unexpected end of file"). */
export async function gzipComplete(path: string): Promise<boolean> {
  try {
    await pipeline(
      createReadStream(path),
      createGunzip(),
      new Writable({
        write(_chunk, _encoding, callback) {
          callback();
        }
      })
    );
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A file that is not gzip at all is complete as far as waiting goes: the run reports it.
    return code !== "Z_BUF_ERROR" && code !== "ENOENT";
  }
}
