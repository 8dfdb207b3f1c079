import {afterAll, describe, expect, it} from "vitest";
import type {PipelineOptions} from "../../loaders/config.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {silentReporter, type Reporter} from "../../loaders/run/progress.js";
import type {Stage} from "../../loaders/run/stage.js";
import {workspace} from "../helpers/fixtures.js";

const ROWS = 500_000;

/** One stage writing a table of ROWS rows, then three that each read it and hold on a moment. */
const STAGES: Stage[] = [
  {
    name: "source",
    description: "writes a table of 500,000 rows",
    inputs: [],
    outputs: ["many_rows"],
    module: "loaders/run/runner.ts",
    async run({connection}) {
      await connection.run(`CREATE TABLE many_rows AS SELECT range AS n FROM range(${ROWS})`);
      return {rowsOut: ROWS};
    }
  },
  ...["a", "b", "c"].map((name): Stage => ({
    name: `reader_${name}`,
    description: "counts the rows",
    inputs: ["many_rows"],
    outputs: [`counted_${name}`],
    module: "loaders/run/runner.ts",
    async run({connection}) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await connection.run(`CREATE TABLE counted_${name} AS SELECT count(*) AS n FROM many_rows`);
      return {};
    }
  }))
];

/** Runs the stages cold and returns the most that ran side by side and what the run noted. */
async function run(options: Partial<PipelineOptions>) {
  const space = workspace("retail-at-once-");
  spaces.push(space);
  let running = 0;
  let most = 0;
  const notes: string[] = [];
  const reporter: Reporter = {
    ...silentReporter,
    stageStarted() {
      most = Math.max(most, ++running);
    },
    stageFinished() {
      running--;
    },
    note(text) {
      notes.push(text);
    }
  };
  await runPipeline({...space.options, ...options}, {stages: STAGES, reporter});
  return {most, notes};
}

const spaces: ReturnType<typeof workspace>[] = [];
afterAll(() => spaces.forEach((space) => space.dispose()));

describe("stages at once", () => {
  it("runs independent stages side by side by default when the memory limit holds them", async () => {
    // 100 MB over 500,000 rows × 50 bytes: four at once, so all three readers.
    expect(await run({memoryLimit: "100MB"})).toEqual({most: 3, notes: []});
  });

  it("auto runs fewer at once, and says so, when the largest table is large for the memory limit", async () => {
    expect(await run({memoryLimit: "40MB"})).toEqual({
      most: 1,
      notes: [
        "at most one stage at a time: many_rows has 500,000 rows and the stages share a 40MB memory limit (stagesAtOnce: auto; --stages-at-once N or a larger --memory-limit changes it)"
      ]
    });
    expect(await run({memoryLimit: "50MB"})).toEqual({
      most: 2,
      notes: [
        "at most 2 stages at a time: many_rows has 500,000 rows and the stages share a 50MB memory limit (stagesAtOnce: auto; --stages-at-once N or a larger --memory-limit changes it)"
      ]
    });
  });

  it("keeps to a number given, without a note", async () => {
    expect(await run({stagesAtOnce: 2})).toEqual({most: 2, notes: []});
    expect(await run({stagesAtOnce: 1})).toEqual({most: 1, notes: []});
  });
});
