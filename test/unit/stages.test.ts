import {pathToFileURL} from "node:url";
import {describe, expect, it} from "vitest";
import {projectPath} from "../../loaders/paths.js";
import {orderStages} from "../../loaders/run/runner.js";
import {STAGES} from "../../loaders/stages/index.js";

describe("the stage graph", () => {
  it("is well formed: every input is produced by exactly one stage, and there is no cycle", () => {
    expect(
      orderStages(STAGES)
        .map((stage) => stage.name)
        .sort()
    ).toEqual(STAGES.map((stage) => stage.name).sort());
  });

  it("names, as each stage's module, the file that defines it (its code version is that file's import closure)", async () => {
    for (const stage of STAGES) {
      const exports = (await import(pathToFileURL(projectPath(stage.module)).href)) as Record<string, unknown>;
      expect(Object.values(exports), `${stage.name}: ${stage.module}`).toContain(stage);
    }
  });
});
