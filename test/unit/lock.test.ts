import {spawn, type ChildProcess} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {hostname} from "node:os";
import {join} from "node:path";
import {buildSync} from "esbuild";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {LockError} from "../../loaders/errors.js";
import {acquireLock, lockPath} from "../../loaders/run/lock.js";
import {PROJECT_ROOT, workspace} from "../helpers/fixtures.js";

const space = workspace();
afterAll(() => space.dispose());

/** A pid no process has (Linux pids stop at 2^22). */
const DEAD_PID = 2 ** 22 + 12345;
const staleLock = (dir: string, token: string) =>
  writeFileSync(lockPath(dir), JSON.stringify({pid: DEAD_PID, host: hostname(), startedAt: "2020-01-01T00:00:00Z", command: "killed", token}));

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
    staleLock(space.dir, "dead-one");
    const lock = await acquireLock(space.dir);
    expect(JSON.parse(readFileSync(lockPath(space.dir), "utf8")).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lockPath(space.dir))).toBe(false);
  });

  it("takes over a lock in the format without a token", async () => {
    writeFileSync(lockPath(space.dir), JSON.stringify({pid: DEAD_PID, host: hostname(), startedAt: "2020-01-01T00:00:00Z", command: "old"}));
    const lock = await acquireLock(space.dir);
    expect(JSON.parse(readFileSync(lockPath(space.dir), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("takes over a lock naming this process's pid that this process does not hold (a pid reused after a crash)", async () => {
    writeFileSync(
      lockPath(space.dir),
      JSON.stringify({pid: process.pid, host: hostname(), startedAt: "2020-01-01T00:00:00Z", command: "old", token: "earlier"})
    );
    const lock = await acquireLock(space.dir);
    expect(JSON.parse(readFileSync(lockPath(space.dir), "utf8")).token).not.toBe("earlier");
    lock.release();
  });

  it("waits for the holder when asked to", async () => {
    const first = await acquireLock(space.dir);
    setTimeout(() => first.release(), 200);
    const second = await acquireLock(space.dir, {waitMs: 5000, pollMs: 20});
    second.release();
  });

  it("release() after someone else took the lock over leaves theirs in place", async () => {
    const mine = await acquireLock(space.dir);
    const theirs = JSON.stringify({pid: DEAD_PID + 1, host: hostname(), startedAt: "2030-01-01T00:00:00Z", command: "theirs", token: "theirs"});
    writeFileSync(join(space.dir, "theirs.tmp"), theirs);
    renameSync(join(space.dir, "theirs.tmp"), lockPath(space.dir));
    mine.release();
    expect(readFileSync(lockPath(space.dir), "utf8")).toBe(theirs);
    staleLock(space.dir, "cleanup");
    (await acquireLock(space.dir)).release();
  });
});

describe("processes racing for a dead holder's lock", () => {
  const RACERS = 6;
  let racer = "";
  beforeAll(() => {
    racer = join(space.dir, "lock-racer.mjs");
    buildSync({
      entryPoints: [join(PROJECT_ROOT, "test/helpers/lock-racer.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: racer,
      logLevel: "error"
    });
  });

  interface Racer {
    child: ChildProcess;
    out: string;
    err: string;
    exited: Promise<number | null>;
    waitFor(text: string): Promise<void>;
  }
  function start(dir: string, waitMs: number, mode: "hold" | "brief"): Racer {
    const child = spawn(process.execPath, [racer, dir, String(waitMs), mode], {stdio: ["pipe", "pipe", "pipe"]});
    const self: Racer = {
      child,
      out: "",
      err: "",
      exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))),
      waitFor: (text) =>
        new Promise((resolve, reject) => {
          const check = () => (self.out.includes(text) ? resolve() : undefined);
          child.stdout!.on("data", check);
          void self.exited.then(() => (self.out.includes(text) ? resolve() : reject(new Error(`racer ${child.pid} exited before ${text}: ${self.err}`))));
          check();
        })
    };
    child.stdout!.on("data", (chunk) => (self.out += chunk));
    child.stderr!.on("data", (chunk) => (self.err += chunk));
    return self;
  }
  async function race(dir: string, waitMs: number, mode: "hold" | "brief"): Promise<Racer[]> {
    const racers = Array.from({length: RACERS}, () => start(dir, waitMs, mode));
    await Promise.all(racers.map((one) => one.waitFor("ready")));
    for (const one of racers) one.child.stdin!.write("go\n");
    return racers;
  }

  it.each([1, 2, 3, 4])("round %i: exactly one proceeds; the others are refused, naming it", async (round) => {
    const dir = join(space.dir, `refuse-${round}`);
    mkdirSync(dir);
    staleLock(dir, `dead-${round}`);
    const racers = await race(dir, 0, "hold");
    // The refused ones exit; the holder waits to be told to release.
    const winners: Racer[] = [];
    await Promise.all(racers.map((one) => Promise.race([one.waitFor("acquired").then(() => winners.push(one)), one.exited])));
    expect(winners).toHaveLength(1);
    const [winner] = winners;
    const losers = racers.filter((one) => one !== winner);
    expect(await Promise.all(losers.map((one) => one.exited))).toEqual(Array(RACERS - 1).fill(3));
    for (const loser of losers) expect(loser.err).toContain(`another pipeline run is in progress (pid ${winner.child.pid} on ${hostname()}`);
    expect(JSON.parse(readFileSync(lockPath(dir), "utf8")).pid).toBe(winner.child.pid);
    winner.child.stdin!.write("release\n");
    expect(await winner.exited).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([1, 2])("round %i: racers that wait each hold it in turn, never two at once", async (round) => {
    const dir = join(space.dir, `wait-${round}`);
    mkdirSync(dir);
    staleLock(dir, `dead-wait-${round}`);
    const racers = await race(dir, 30_000, "brief");
    const codes = await Promise.all(racers.map((one) => one.exited));
    expect(racers.map((one) => one.err)).toEqual(Array(RACERS).fill(""));
    expect(codes).toEqual(Array(RACERS).fill(0));
    expect(readdirSync(dir)).toEqual([]);
  });
});
