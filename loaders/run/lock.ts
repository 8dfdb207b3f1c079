import {closeSync, openSync, readFileSync, rmSync, statSync, writeSync} from "node:fs";
import {hostname} from "node:os";
import {join} from "node:path";
import {LockError} from "../errors.js";

/** Who holds the warehouse lock: written into the lock file so a refused run can name the holder. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export interface Lock {
  release(): void;
}

export function lockPath(warehouseDir: string): string {
  return join(warehouseDir, ".lock");
}

/**
 * Takes the warehouse lock: one pipeline run at a time. A lock left by a process that no longer exists
 * (killed, crashed) is taken over. A live holder makes this wait up to `waitMs`, then throw a LockError
 * naming the holder.
 */
export async function acquireLock(warehouseDir: string, {waitMs = 0, pollMs = 100, name = ".lock"} = {}): Promise<Lock> {
  const path = join(warehouseDir, name);
  const me: LockHolder = {pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: process.argv.slice(1).join(" ")};
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, JSON.stringify(me) + "\n");
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(path, {force: true});
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(path);
    if (holder === "gone") continue;
    if (holder !== "being written" && isStale(holder)) {
      rmSync(path, {force: true});
      continue;
    }
    if (Date.now() >= deadline) {
      if (holder === "being written") throw new LockError(`another pipeline run is starting (lock file ${path}); wait for it to finish`);
      throw new LockError(
        `another pipeline run is in progress (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}: ${holder.command}). ` +
          `Wait for it to finish; if that process no longer exists, delete ${path}`
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function readHolder(path: string): LockHolder | "being written" | "gone" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return "gone";
  }
  try {
    return JSON.parse(text) as LockHolder;
  } catch {
    // Created but not yet written by its owner, or left empty by a crash in that instant.
    return Date.now() - (statSync(path, {throwIfNoEntry: false})?.mtimeMs ?? 0) < 5_000 ? "being written" : {pid: -1, host: hostname(), startedAt: "", command: ""};
  }
}

function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false; // Cannot tell for another machine: never steal its lock.
  if (holder.pid === process.pid) return false;
  if (holder.pid <= 0) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
