import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {resolveOptions} from "../../loaders/config.js";
import {UsageError} from "../../loaders/errors.js";
import {workspace} from "../helpers/fixtures.js";

const space = workspace();
afterEach(() => writeFileSync(join(space.dir, "retail.config.json"), "{}"));

describe("resolveOptions", () => {
  it("resolves folders against the root and upper-cases non-product codes", () => {
    const options = resolveOptions({root: space.dir, nonProductCodes: ["post", " Dot "]});
    expect(options.rawDir).toBe(join(space.dir, "data/raw"));
    expect(options.warehouseDir).toBe(join(space.dir, "data/warehouse"));
    expect(options.nonProductCodes).toEqual(["POST", "DOT"]);
    expect(options.maxQuarantineShare).toBe(0.05);
  });

  it("reads retail.config.json and lets explicit options win", () => {
    writeFileSync(join(space.dir, "retail.config.json"), JSON.stringify({maxQuarantineShare: 0.2, seed: 7}));
    expect(resolveOptions({root: space.dir}).maxQuarantineShare).toBe(0.2);
    expect(resolveOptions({root: space.dir, maxQuarantineShare: 0.1}).maxQuarantineShare).toBe(0.1);
  });

  it("names the bad value", () => {
    expect(() => resolveOptions({root: space.dir, maxQuarantineShare: 1.5})).toThrow(new UsageError("invalid maxQuarantineShare; expected a number from 0 to 1: 1.5"));
    expect(() => resolveOptions({root: space.dir, threads: 0})).toThrow("invalid threads; not a positive integer: 0");
    expect(() => resolveOptions({root: space.dir, memoryLimit: "lots"})).toThrow('invalid memoryLimit; expected a size such as "2GB": "lots"');
    expect(() => resolveOptions({root: space.dir, nonProductPatterns: ["(unclosed"]})).toThrow('invalid nonProductPatterns; not a regular expression: "(unclosed"');
    writeFileSync(join(space.dir, "retail.config.json"), JSON.stringify({maxQuarantinShare: 0.2}));
    expect(() => resolveOptions({root: space.dir})).toThrow('unknown option "maxQuarantinShare"');
  });
});
