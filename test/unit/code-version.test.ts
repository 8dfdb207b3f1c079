import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {codeVersions} from "../../loaders/run/code-version.js";
import {STAGES} from "../../loaders/stages/index.js";
import {PROJECT_ROOT} from "../helpers/fixtures.js";

/**
 * Code versions are computed on a copy of the project's loaders/, models/ and src/shared/, whose files the tests edit.
 * The expected sets below come from reading the imports (grep), not from the bundler.
 */
const copy = mkdtempSync(join(tmpdir(), "retail-code-"));
const modules = STAGES.map((stage) => stage.module);
const versions = () => codeVersions(modules, {root: copy, cacheDir: join(copy, "cache")});
const ALL = STAGES.map((stage) => stage.name).sort();

/** The stages whose code version changes when `edit` is applied (and undone after). */
async function changedBy(edit: () => () => void): Promise<string[]> {
  const before = await versions();
  const undo = edit();
  try {
    const after = await versions();
    return STAGES.filter((stage) => before.get(stage.module) !== after.get(stage.module))
      .map((stage) => stage.name)
      .sort();
  } finally {
    undo();
  }
}

/** Appends a comment to a file of the copy. */
const appendTo =
  (path: string, text = "\n// an edit\n") =>
  () => {
    const file = join(copy, path);
    const original = readFileSync(file, "utf8");
    writeFileSync(file, original + text);
    return () => writeFileSync(file, original);
  };

/** Makes the copy see another version of an npm package. */
const packageVersioned = (name: string, version: string) => () => {
  const link = join(copy, "node_modules", name);
  rmSync(link);
  mkdirSync(link);
  writeFileSync(join(link, "package.json"), JSON.stringify({name, version}));
  return () => {
    rmSync(link, {recursive: true});
    symlinkSync(join(PROJECT_ROOT, "node_modules", name), link);
  };
};

beforeAll(() => {
  for (const path of ["loaders", "models", "src/shared", "package.json", "tsconfig.json"])
    cpSync(join(PROJECT_ROOT, path), join(copy, path), {recursive: true});
  mkdirSync(join(copy, "node_modules"));
  for (const name of readdirSync(join(PROJECT_ROOT, "node_modules"))) {
    if (name.startsWith(".")) continue;
    symlinkSync(join(PROJECT_ROOT, "node_modules", name), join(copy, "node_modules", name));
  }
  // A scoped package is replaced on its own below, so its scope must be a folder of the copy.
  rmSync(join(copy, "node_modules", "@duckdb"));
  mkdirSync(join(copy, "node_modules", "@duckdb"));
  for (const name of readdirSync(join(PROJECT_ROOT, "node_modules", "@duckdb"))) {
    symlinkSync(join(PROJECT_ROOT, "node_modules", "@duckdb", name), join(copy, "node_modules", "@duckdb", name));
  }
});
afterAll(() => rmSync(copy, {recursive: true, force: true}));

describe("stage code versions", () => {
  it("are the same for the project and for a copy of it elsewhere (paths are relative to the root)", async () => {
    const here = await codeVersions(modules, {cacheDir: null});
    expect(await versions()).toEqual(here);
    expect(new Set(here.values()).size).toBe(STAGES.length);
    for (const version of here.values()) expect(version).toMatch(/^[0-9a-f]{16}$/);
  });

  it("change for every stage when loaders/db.ts changes (the engine, model-io → rows, and direct imports all reach it)", async () => {
    expect(await changedBy(appendTo("loaders/db.ts"))).toEqual(ALL);
  });

  it("change for ingest, clean, both marts stages and quality when loaders/transform/clean-sql.ts changes", async () => {
    // The engines' clean.ts import it (and every engine stage imports the engine), quality/checks.ts its exclusion reasons.
    expect(await changedBy(appendTo("loaders/transform/clean-sql.ts"))).toEqual(["clean", "ingest", "marts", "product_marts", "quality"]);
  });

  it("change for recommendations alone when models/recommend/als.ts changes, which only its worker imports", async () => {
    // recommendations.ts imports only types from models/recommend and hands models/recommend/fit.ts to a worker by URL.
    expect(await changedBy(appendTo("models/recommend/als.ts"))).toEqual(["recommendations"]);
  });

  it("change for no stage when a file no stage imports changes", async () => {
    for (const path of ["loaders/cli.ts", "loaders/run/progress.ts", "loaders/pipeline.ts", "loaders/run/runner.ts"]) {
      expect(await changedBy(appendTo(path)), path).toEqual([]);
    }
  });

  it("change with the version of a package the closure imports, or DuckDB's", async () => {
    // ml-matrix: only models/forecast/regression.ts imports it.
    expect(await changedBy(packageVersioned("ml-matrix", "0.0.0-edited"))).toEqual(["forecast"]);
    expect(await changedBy(packageVersioned("@duckdb/node-api", "0.0.0-edited"))).toEqual(ALL);
  });

  it("follow an import added since the closures were cached", async () => {
    await versions();
    const undoImport = appendTo("loaders/stages/model-metrics.ts", '\nimport "../../models/basket/rules.js";\n')();
    try {
      expect(await changedBy(appendTo("models/basket/rules.ts"))).toEqual(["basket", "model_metrics"]);
    } finally {
      undoImport();
    }
  });

  it("from the cache equal those computed afresh", async () => {
    await versions();
    expect(await versions()).toEqual(await codeVersions(modules, {root: copy, cacheDir: null}));
  });
});
