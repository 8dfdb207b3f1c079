// One contender for the warehouse lock, run as its own process by test/unit/lock.test.ts:
//   node lock-racer.mjs DIR WAIT_MS MODE     MODE: "hold" (keep the lock until stdin says release) or "brief"
// It says "ready", waits for "go" on stdin, then tries to take the lock. While it holds the lock it also
// holds <DIR>/occupied, made with an exclusive create: a second holder at the same time fails to make it.
import {closeSync, openSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import {createInterface} from "node:readline";
import {acquireLock, lockPath} from "../../loaders/run/lock.js";

const [dir, waitMs, mode] = process.argv.slice(2);
const lines = createInterface({input: process.stdin})[Symbol.asyncIterator]();
const next = async () => (await lines.next()).value as string | undefined;

process.stdout.write("ready\n");
await next();
try {
  const lock = await acquireLock(dir, {waitMs: Number(waitMs), pollMs: 5});
  const occupied = join(dir, "occupied");
  closeSync(openSync(occupied, "wx"));
  const holder = JSON.parse(readFileSync(lockPath(dir), "utf8"));
  if (holder.pid !== process.pid) throw new Error(`lock file names pid ${holder.pid} while ${process.pid} holds it`);
  process.stdout.write("acquired\n");
  if (mode === "hold") await next();
  else await new Promise((resolve) => setTimeout(resolve, 20));
  rmSync(occupied);
  lock.release();
  process.exit(0);
} catch (error) {
  process.stderr.write((error as Error).message + "\n");
  process.exit((error as {exitCode?: number}).exitCode ?? 1);
}
