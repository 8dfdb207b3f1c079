import {existsSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {projectPath} from "../../loaders/paths.js";
import {orderStages} from "../../loaders/run/runner.js";
import {STAGES} from "../../loaders/stages/index.js";

describe("the stage graph", () => {
  it("is well formed: every input is produced by exactly one stage, and there is no cycle", () => {
    expect(orderStages(STAGES).map((stage) => stage.name).sort()).toEqual(STAGES.map((stage) => stage.name).sort());
  });

  it("names, as each stage's code version, files that exist (paths from the project root)", () => {
    for (const stage of STAGES) {
      expect(stage.code.length, stage.name).toBeGreaterThan(0);
      for (const path of stage.code) expect(existsSync(projectPath(path)), `${stage.name}: ${path}`).toBe(true);
    }
  });
});
