import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {LockError} from "../../loaders/errors.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {sha256File} from "../../loaders/run/files.js";
import {acquireLock, lockPath} from "../../loaders/run/lock.js";
import {readManifest} from "../../loaders/run/manifest.js";
import {SNAPSHOT_NAMES, STABLE_SNAPSHOTS} from "../../loaders/schema/index.js";
import {startCli} from "../helpers/cli.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {copyShipped, workspace} from "../helpers/fixtures.js";

const space = workspace("retail-faults-");
afterAll(() => space.dispose());
const cliArgs = () => ["--raw", space.raw, "--warehouse", space.warehouse, "--progress", "plain"];

/** Every published snapshot is exactly what the manifest says, and DuckDB can read it. */
async function expectConsistentSnapshots(): Promise<void> {
  const manifest = readManifest(space.warehouse);
  for (const name of SNAPSHOT_NAMES) {
    const table = manifest.tables[name];
    expect(sha256File(join(space.warehouse, table.file)), `${name} matches the manifest`).toBe(table.sha256);
    expect(await readSnapshot(space.warehouse, name, "SELECT count(*) AS n FROM t")).toEqual([{n: table.rows}]);
  }
}

describe("a run killed midway", () => {
  const stages = ["ingest: started", "clean: started", "quality: started"];
  stages.forEach((stage, index) => {
    it(`(kill -9 at "${stage}") leaves the previous snapshots readable, and the next run completes`, async () => {
      copyShipped(space, 40 + 14 * index);
      await runPipeline(space.options);
      const before = readManifest(space.warehouse).tables;
      copyShipped(space, 14, 40 + 14 * index);
      const victim = startCli(cliArgs());
      await victim.waitFor(stage);
      victim.child.kill("SIGKILL");
      expect(await victim.exited).toBe("SIGKILL");

      expect(existsSync(lockPath(space.warehouse))).toBe(true);
      await expectConsistentSnapshots();
      const after = readManifest(space.warehouse).tables;
      for (const name of SNAPSHOT_NAMES) expect(after[name].sha256, name).toBe(before[name].sha256);

      const next = await runPipeline(space.options);
      expect(next.run.status).toBe("succeeded");
      await expectConsistentSnapshots();
      expect(readdirLeftovers()).toEqual([]);
    });
  });

  it("ends up with the same snapshots as a clean run over the same files", async () => {
    const reference = workspace("retail-faults-reference-");
    try {
      copyShipped(reference, 40 + 14 * stages.length);
      await runPipeline(reference.options);
      const files = (dir: string) => readManifest(dir).files.map((file) => file.path);
      expect(files(space.warehouse)).toEqual(files(reference.warehouse));
      for (const name of STABLE_SNAPSHOTS) {
        expect(
          readFileSync(join(space.warehouse, "snapshots", `${name}.parquet`)).equals(readFileSync(join(reference.warehouse, "snapshots", `${name}.parquet`))),
          name
        ).toBe(true);
      }
    } finally {
      reference.dispose();
    }
  });
});

function readdirLeftovers(): string[] {
  return readdirSync(space.warehouse).filter((name) => name.startsWith(".run-") || name.endsWith(".tmp"));
}

describe("one run at a time", () => {
  it("refuses a second run while one is in progress, naming the holder", async () => {
    const lock = await acquireLock(space.warehouse);
    try {
      const error = await runPipeline(space.options).catch((caught) => caught);
      expect(error).toBeInstanceOf(LockError);
      expect(error.message).toMatch(new RegExp(`^another pipeline run is in progress \\(pid ${process.pid} on .+, started .+\\)\\. Wait for it to finish`));
      const cli = startCli(cliArgs());
      expect(await cli.exited).toBe(3);
      expect(cli.stderr()).toContain(`Pipeline failed: another pipeline run is in progress (pid ${process.pid}`);
    } finally {
      lock.release();
    }
  });

  it("refuses a concurrent command-line run while another process works", async () => {
    const fresh = workspace("retail-concurrent-");
    try {
      copyShipped(fresh, 80);
      const first = startCli(["--raw", fresh.raw, "--warehouse", fresh.warehouse, "--progress", "plain"]);
      await first.waitFor("ingest: started");
      const second = startCli(["--raw", fresh.raw, "--warehouse", fresh.warehouse, "--progress", "plain"]);
      expect(await second.exited).toBe(3);
      expect(second.stderr()).toContain(`another pipeline run is in progress (pid ${first.child.pid}`);
      expect(await first.exited).toBe(0);
      expect(first.stdout()).toContain("Pipeline finished");
    } finally {
      fresh.dispose();
    }
  });
});
