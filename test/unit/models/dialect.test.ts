import {readdirSync, existsSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_ROOT} from "../../../loaders/paths.js";

/** Every model directory exposes the one dialect of models/dialect.ts from its index.ts. */
const MODELS = readdirSync(join(PROJECT_ROOT, "models"), {withFileTypes: true})
  .filter((entry) => entry.isDirectory() && existsSync(join(PROJECT_ROOT, "models", entry.name, "index.ts")))
  .map((entry) => entry.name)
  .sort();

describe("the model dialect", () => {
  it("is spoken by all seven models", () => {
    expect(MODELS).toEqual(["anomalies", "basket", "churn", "forecast", "recommend", "rfm", "segmentation"]);
  });

  for (const name of MODELS) {
    it(`${name}: defaults, options, fit and score; unknown and invalid options refused with the value shown`, async () => {
      const model = await import(`../../../models/${name}/index.ts`);
      for (const member of ["defaults", "options", "fit", "score"]) expect(model[member], `${name} exports ${member}`).toBeDefined();
      const [exported] = Object.entries(model).filter(([key]) => key.endsWith("Model"));
      expect(exported, `${name} exports a <name>Model object`).toBeDefined();
      const described = exported[1] as {name: string; defaults: object; options: (partial?: object) => object};
      expect(typeof described.name).toBe("string");
      expect(described.options()).toEqual(described.defaults);
      expect(described.options({})).toEqual(described.defaults);
      const known = Object.keys(described.defaults);
      expect(() => described.options({notAnOption: 1})).toThrow(
        `invalid ${described.name} option; unknown: notAnOption (${known.length ? `options: ${known.join(", ")}` : `${described.name.toUpperCase()} has no options`})`
      );
      const firstInteger = Object.entries(described.defaults).find(([, value]) => Number.isInteger(value) && (value as number) > 0);
      if (firstInteger) expect(() => described.options({[firstInteger[0]]: Number.NaN})).toThrow(new RegExp(`^invalid ${firstInteger[0]}; .*: NaN$`));
    });
  }
});
