import {createHash, randomUUID} from "node:crypto";
import {closeSync, fstatSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {hostname} from "node:os";
import {basename, dirname, join} from "node:path";
import {LockError} from "../errors.js";

/** Who holds the warehouse lock: written into the lock file so a refused run can name the holder. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
  /** Unique to one acquisition: a released or taken-over lock is told apart from a new one by it. */
  token?: string;
}

export interface Lock {
  /** Removes the lock file if it is still this acquisition's; a lock someone else holds now is left alone. */
  release(): void;
}

export function lockPath(warehouseDir: string): string {
  return join(warehouseDir, ".lock");
}

/** Tokens of the locks this process holds now: a lock naming this pid with another token is a dead predecessor's. */
const heldHere = new Set<string>();

/**
 * Takes the warehouse lock: one pipeline run at a time. A lock left by a process that no longer exists
 * (killed, crashed) is taken over. A live holder makes this wait up to `waitMs`, then throw a LockError
 * naming the holder.
 *
 * The lock file appears complete or not at all: it is hard-linked from a fully written private file, and
 * `link` fails if the name exists (an exclusive create, like `wx`, that is never seen half-written).
 * Taking over a dead holder's lock is guarded by a second lock named after that holder's token (see
 * `claim`), so of any number of waiters that saw the same dead holder exactly one replaces it.
 */
const heldLocks = new Set<Lock>();

/** Releases every lock this process holds: for a process about to exit on a signal. */
export function releaseHeldLocks(): void {
  for (const lock of [...heldLocks]) lock.release();
}

export async function acquireLock(warehouseDir: string, {waitMs = 0, pollMs = 100, name = ".lock"} = {}): Promise<Lock> {
  const path = join(warehouseDir, name);
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1).join(" "),
    token: randomUUID()
  };
  const token = me.token!;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const result = claim(path, me);
    if (result === "held") {
      heldHere.add(token);
      removeGuards(path, token);
      let released = false;
      const lock = {
        release() {
          if (released) return;
          released = true;
          heldHere.delete(token);
          heldLocks.delete(lock);
          removeIfMine(path, token);
        }
      };
      heldLocks.add(lock);
      return lock;
    }
    if (result !== "taking over" && Date.now() >= deadline) {
      if (result === "being written") throw new LockError(`another pipeline run is starting (lock file ${path}); wait for it to finish`);
      throw new LockError(
        `another pipeline run is in progress (pid ${result.pid} on ${result.host}, started ${result.startedAt}: ${result.command}). ` +
          `Wait for it to finish; if that process no longer exists, delete ${path}`
      );
    }
    // Another waiter is replacing a dead holder's lock, which takes a moment: look again soon.
    await new Promise((resolve) => setTimeout(resolve, result === "taking over" ? Math.min(pollMs, 10) : pollMs));
  }
}

type Claim = "held" | "taking over" | "being written" | LockHolder;

/**
 * One attempt to hold `path`, synchronous so that acquisitions in one process never interleave. If the
 * file names a dead holder whose identity is X, the waiter must first hold `<path>.takeover-X`, then check
 * that `path` still names X, and only then replace it (rename over it). Identities are never reused, and
 * while `path` names the dead X only a holder of that guard can change it, so the check and the
 * replacement cannot be separated by another waiter's; a waiter that saw X late finds a new identity
 * and gives up. A guard whose own holder died is taken over the same way, one level down.
 */
function claim(path: string, me: LockHolder): Claim {
  for (;;) {
    if (createExclusive(path, me)) return "held";
    const seen = readHolder(path);
    if (seen === "gone") continue;
    if (seen === "being written") return seen;
    if (!isStale(seen.holder)) return seen.holder;
    const guard = `${path}.takeover-${seen.id}`;
    const guarded = claim(guard, me);
    if (guarded !== "held") return "taking over";
    try {
      const now = readHolder(path);
      if (now === "gone") continue;
      if (now !== "being written" && now.id === seen.id) {
        replace(path, me);
        return "held";
      }
    } finally {
      removeIfMine(guard, me.token!);
    }
  }
}

function createExclusive(path: string, me: LockHolder): boolean {
  for (let attempt = 0; ; attempt++) {
    const draft = writeDraft(path, me);
    try {
      linkSync(draft, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return false;
      // The new holder tidies up guards and drafts as it takes the lock; a draft removed in that instant is
      // simply written again.
      if (code !== "ENOENT" || attempt >= 10) throw error;
    } finally {
      rmSync(draft, {force: true});
    }
  }
}

function replace(path: string, me: LockHolder): void {
  renameSync(writeDraft(path, me), path);
}

function writeDraft(path: string, me: LockHolder): string {
  const draft = `${path}.${me.token}.draft`;
  writeFileSync(draft, JSON.stringify(me) + "\n");
  return draft;
}

function removeIfMine(path: string, token: string): void {
  // Only a takeover changes a lock held by a live process, and only once its holder looks dead: nobody
  // replaces it between this read and the removal.
  const current = readHolder(path);
  if (current !== "gone" && current !== "being written" && current.holder.token === token) rmSync(path, {force: true});
}

/**
 * Removes the takeover guards and drafts that waiters which died left behind. Safe while this process
 * holds the lock: a guard only matters while the lock names the dead holder it is named after.
 */
function removeGuards(path: string, token: string): void {
  const prefix = `${basename(path)}.`;
  const dir = dirname(path);
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const file = join(dir, name);
    if (name.includes(".takeover-") && !name.endsWith(".draft")) rmSync(file, {force: true});
    else if (name.endsWith(".draft") && !name.includes(token)) {
      // A live waiter's draft is about to become its lock attempt: only the dead's are removed.
      const seen = readHolder(file);
      if (seen !== "gone" && seen !== "being written" && isStale(seen.holder)) rmSync(file, {force: true});
    }
  }
}

type Seen = {holder: LockHolder; id: string} | "being written" | "gone";

function readHolder(path: string): Seen {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return "gone";
  }
  let text: string;
  let stats;
  try {
    stats = fstatSync(fd);
    text = readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return {holder, id: holder.token ?? fileIdentity(stats.ino, stats.mtimeMs, text)};
  } catch {
    // Made by an older version between its create and its write, or left empty by a crash in that instant.
    if (Date.now() - stats.mtimeMs < 5_000) return "being written";
    return {holder: {pid: -1, host: hostname(), startedAt: "", command: ""}, id: fileIdentity(stats.ino, stats.mtimeMs, text)};
  }
}

/** The identity of a lock file without a token (written by an older version, or unreadable). */
function fileIdentity(ino: number, mtimeMs: number, text: string): string {
  return createHash("sha256").update(`${ino}\0${mtimeMs}\0${text}`).digest("hex").slice(0, 32);
}

function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false; // Cannot tell for another machine: never steal its lock.
  if (holder.pid === process.pid) return holder.token !== undefined && !heldHere.has(holder.token);
  if (holder.pid <= 0) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
