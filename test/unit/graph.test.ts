import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {projectPath} from "../../loaders/paths.js";
import {formatGraph} from "../../loaders/run/graph.js";
import type {Stage} from "../../loaders/run/stage.js";
import {STAGES} from "../../loaders/stages/index.js";
import {withStageGraph} from "../../scripts/readme-graph.js";

const stage = (name: string, inputs: string[], outputs: string[], description: string, refit?: "period"): Stage => ({
  name,
  inputs,
  outputs,
  description,
  refit,
  module: `loaders/stages/${name}.ts`,
  run: async () => ({})
});

describe("the printed stage graph", () => {
  it("lists stages in dependency order with inputs, outputs, refit and description, wrapping long cells", () => {
    const graph = formatGraph([
      stage("fit", ["features"], ["model", "model_metrics"], "Fit the model", "period"),
      stage("load", [], ["features"], "Read the input files and compute one feature table per customer for the model to fit on")
    ]);
    expect(graph).toBe(
      [
        "stage  inputs       outputs               refit       description",
        "load   (raw files)  features              every run   Read the input files and compute one feature",
        "                                                      table per customer for the model to fit on",
        "",
        "fit    features     model, model_metrics  weekly fit  Fit the model",
        ""
      ].join("\n")
    );
  });

  it("is the graph the README shows", () => {
    const readme = readFileSync(projectPath("README.md"), "utf8");
    expect(readme, "README.md's stage graph differs from the stages: run npm run readme").toBe(withStageGraph(readme, formatGraph(STAGES)));
  });
});

describe("the README's generated block", () => {
  const readme = "# Title\n\n<!-- stage-graph:start (generated) -->\n```\nold\n```\n<!-- stage-graph:end -->\n\nAfter.\n";

  it("replaces only what is between the markers, and again gives the same text", () => {
    const updated = withStageGraph(readme, "a  b\n");
    expect(updated).toBe("# Title\n\n<!-- stage-graph:start (generated) -->\n```\na  b\n```\n<!-- stage-graph:end -->\n\nAfter.\n");
    expect(withStageGraph(updated, "a  b\n")).toBe(updated);
  });

  it("says where the markers go when they are missing", () => {
    expect(() => withStageGraph("# Title\n", "a\n")).toThrow(
      "README.md has no <!-- stage-graph:start --> … <!-- stage-graph:end --> block; add the two markers where the graph goes"
    );
  });
});
