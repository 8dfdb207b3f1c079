import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {csv, HEADER, workspace} from "../helpers/fixtures.js";

const space = workspace("retail-framework-");
const cacheFile = (path: string) => join(space.site, ".observablehq", "cache", path);
const seedCache = (paths: string[]) => {
  for (const path of paths) {
    mkdirSync(join(cacheFile(path), ".."), {recursive: true});
    writeFileSync(cacheFile(path), "stale");
  }
};
beforeAll(() => {
  space.write("2010-12-01.csv", csv(HEADER, "536365,85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom"));
});
afterAll(() => space.dispose());

describe("Framework's cache", () => {
  it("loses the cached copy of every snapshot a run changed, so pages never show stale data", async () => {
    seedCache(["data/sales.parquet", "data/orders.parquet", "data/manifest.json", "data/other.csv"]);
    await runPipeline(space.options);
    expect(existsSync(cacheFile("data/sales.parquet"))).toBe(false);
    expect(existsSync(cacheFile("data/orders.parquet"))).toBe(false);
    expect(existsSync(cacheFile("data/manifest.json"))).toBe(false);
    expect(existsSync(cacheFile("data/other.csv"))).toBe(true);
  });

  it("keeps the cached copy of snapshots whose bytes did not change", async () => {
    seedCache(["data/sales.parquet", "data/pipeline_runs.parquet", "data/manifest.json"]);
    const forced = await runPipeline({...space.options, force: true});
    expect(forced.changed).toEqual([]);
    expect(existsSync(cacheFile("data/sales.parquet"))).toBe(true);
    expect(existsSync(cacheFile("data/pipeline_runs.parquet"))).toBe(false);
    expect(existsSync(cacheFile("data/manifest.json"))).toBe(false);
  });

  it("loses the cached copy again when new data arrives", async () => {
    seedCache(["data/sales.parquet"]);
    space.write("2010-12-02.csv", csv(HEADER, "536400,22423,CAKESTAND,1,2010-12-02 09:00:00,12.75,12347,Iceland"));
    const run = await runPipeline(space.options);
    expect(run.changed.map((table) => table.name)).toContain("sales");
    expect(existsSync(cacheFile("data/sales.parquet"))).toBe(false);
  });
});
