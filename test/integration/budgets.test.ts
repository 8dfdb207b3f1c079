import {readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {StageBudgetError} from "../../loaders/errors.js";
import {runPipeline} from "../../loaders/pipeline.js";
import type {Stage} from "../../loaders/run/stage.js";
import {STAGES} from "../../loaders/stages/index.js";
import {sha256File} from "../../loaders/run/files.js";
import {workspace, type Workspace} from "../helpers/fixtures.js";
import {SLICES, writeSlice} from "../helpers/slices.js";

const RUNAWAY = new URL("../fixtures/runaway-model.ts", import.meta.url);

/** A model stage reading `sales` whose work never ends (or never stops allocating). */
function runawayStage(name: string, work: (context: Parameters<Stage["run"]>[0]) => Promise<unknown>): Stage {
  return {
    name,
    description: "a stage that exceeds its budget",
    inputs: ["sales"],
    outputs: [`${name}_out`],
    module: "test/fixtures/runaway-model.ts",
    async run(context) {
      await work(context);
      await context.connection.run(`CREATE TABLE ${name}_out AS SELECT 1 AS x`);
      return {};
    }
  };
}

function snapshotHashes(space: Workspace): Record<string, string> {
  const dir = join(space.warehouse, "snapshots");
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((file) => [file, sha256File(join(dir, file))])
  );
}

describe("per-stage budgets", () => {
  let space: Workspace;
  let before: Record<string, string>;
  beforeAll(async () => {
    space = workspace("retail-budget-");
    await writeSlice(SLICES[0]!, space.raw);
    await runPipeline(space.options);
    before = snapshotHashes(space);
  }, 120_000);
  afterAll(() => space.dispose());

  it("stops a model that runs past the time budget, names the stage, what it was doing and the option", async () => {
    const stage = runawayStage("spinning", (context) => context.runModel(RUNAWAY, "spin"));
    const started = performance.now();
    const error = await runPipeline({...space.options, stageTimeoutSeconds: 2}, {stages: [...STAGES, stage]}).catch((caught) => caught);
    expect(error).toBeInstanceOf(StageBudgetError);
    expect(error.message).toMatch(
      /^stage spinning was stopped after its time budget of 2 s while running spin \(test\/fixtures\/runaway-model\.ts\); the previous snapshots are unchanged\. .*raise stageTimeoutSeconds in retail\.config\.json \(or --stage-timeout SECONDS\)/
    );
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(snapshotHashes(space)).toEqual(before);
  }, 90_000);

  it("interrupts SQL that runs past the time budget", async () => {
    const stage = runawayStage("slow_sql", async (context) => {
      context.progress({detail: "counting a very large cross join"});
      await context.connection.run("SELECT count(*) FROM range(1000000) AS a, range(1000000) AS b WHERE a.range * b.range % 7 = 3");
    });
    const error = await runPipeline({...space.options, stageTimeoutSeconds: 2}, {stages: [...STAGES, stage]}).catch((caught) => caught);
    expect(error).toBeInstanceOf(StageBudgetError);
    expect(error.message).toContain("stage slow_sql was stopped after its time budget of 2 s while counting a very large cross join");
    expect(snapshotHashes(space)).toEqual(before);
  }, 90_000);

  it("stops a model that needs more than the memory budget, without crashing the process", async () => {
    const stage = runawayStage("hungry", (context) => context.runModel(RUNAWAY, "hog"));
    const error = await runPipeline({...space.options, stageMemoryMB: 256}, {stages: [...STAGES, stage]}).catch((caught) => caught);
    expect(error).toBeInstanceOf(StageBudgetError);
    expect(error.message).toMatch(
      /^stage hungry was stopped: hog \(test\/fixtures\/runaway-model\.ts\) needed more than its memory budget of 256 MB; the previous snapshots are unchanged\. Raise stageMemoryMB/
    );
    expect(snapshotHashes(space)).toEqual(before);
    // The next ordinary run finds nothing to do.
    expect((await runPipeline(space.options)).upToDate).toBe(true);
  }, 90_000);
});
