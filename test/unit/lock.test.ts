import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {hostname} from "node:os";
import {afterAll, describe, expect, it} from "vitest";
import {LockError} from "../../loaders/errors.js";
import {acquireLock, lockPath} from "../../loaders/run/lock.js";
import {workspace} from "../helpers/fixtures.js";

const space = workspace();
afterAll(() => space.dispose());

describe("acquireLock", () => {
  it("refuses a second holder, naming the first, and frees the lock on release", async () => {
    const lock = await acquireLock(space.dir);
    const holder = JSON.parse(readFileSync(lockPath(space.dir), "utf8"));
    expect(holder.pid).toBe(process.pid);
    const error = await acquireLock(space.dir).catch((caught) => caught);
    expect(error).toBeInstanceOf(LockError);
    expect(error.message).toContain(`another pipeline run is in progress (pid ${process.pid} on ${hostname()}, started ${holder.startedAt}`);
    expect(error.message).toContain(`if that process no longer exists, delete ${lockPath(space.dir)}`);
    lock.release();
    expect(existsSync(lockPath(space.dir))).toBe(false);
  });

  it("takes over a lock left by a process that no longer exists", async () => {
    writeFileSync(lockPath(space.dir), JSON.stringify({pid: 2 ** 22 + 12345, host: hostname(), startedAt: "2020-01-01T00:00:00Z", command: "killed"}));
    const lock = await acquireLock(space.dir);
    expect(JSON.parse(readFileSync(lockPath(space.dir), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("waits for the holder when asked to", async () => {
    const first = await acquireLock(space.dir);
    setTimeout(() => first.release(), 200);
    const second = await acquireLock(space.dir, {waitMs: 5000, pollMs: 20});
    second.release();
  });
});
