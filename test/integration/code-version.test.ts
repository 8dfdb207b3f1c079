import {execFile} from "node:child_process";
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {codeVersions} from "../../loaders/run/code-version.js";
import {formatGraph} from "../../loaders/run/graph.js";
import type {Manifest} from "../../loaders/run/manifest.js";
import {STAGES} from "../../loaders/stages/index.js";
import {csv, HEADER, PROJECT_ROOT} from "../helpers/fixtures.js";

/**
 * The CLI as users run it (`node loaders/launch.mjs`, a bundle of the sources) in a copy of the project whose
 * files the test edits, on a small input.
 */
const copy = mkdtempSync(join(tmpdir(), "retail-code-cli-"));
const work = join(copy, "work");
const warehouse = join(work, "warehouse");

function pipeline(...args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(copy, "loaders", "launch.mjs"), ...args], {cwd: work, env: {...process.env, NO_COLOR: "1"}}, (error, stdout, stderr) =>
      resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr})
    );
  });
}
const run = () => pipeline("--raw", "raw", "--warehouse", "warehouse", "--progress", "plain");
const manifest = () => JSON.parse(readFileSync(join(warehouse, "manifest.json"), "utf8")) as Manifest;
const ran = () =>
  manifest()
    .runs[0].stages.filter((stage) => stage.status === "ran")
    .map((stage) => [stage.name, stage.reason]);

beforeAll(async () => {
  for (const path of ["loaders", "models", "src/shared", "package.json", "package-lock.json", "tsconfig.json"]) {
    cpSync(join(PROJECT_ROOT, path), join(copy, path), {recursive: true});
  }
  mkdirSync(join(copy, "node_modules"));
  for (const name of readdirSync(join(PROJECT_ROOT, "node_modules"))) {
    if (!name.startsWith(".")) symlinkSync(join(PROJECT_ROOT, "node_modules", name), join(copy, "node_modules", name));
  }
  mkdirSync(join(work, "raw"), {recursive: true});
  writeFileSync(
    join(work, "raw", "2011.csv"),
    csv(
      HEADER,
      "1001,22423,MUG,2,2011-01-03 10:00:00,3.00,1,United Kingdom",
      "1002,22423,MUG,10,2011-01-20 10:00:00,3.00,2,France",
      "1003,85123A,PLATE,1,2011-02-25 10:00:00,5.00,1,United Kingdom",
      "1004,85123A,PLATE,4,2011-02-28 10:00:00,5.00,3,Germany"
    )
  );
  const first = await run();
  expect(first.code, first.stderr).toBe(0);
});
afterAll(() => rmSync(copy, {recursive: true, force: true}));

describe("code versions in the CLI", () => {
  it("are those computed from the sources (the bundle reads the sources, not itself)", async () => {
    const versions = await codeVersions(
      STAGES.map((stage) => stage.module),
      {root: copy, cacheDir: null}
    );
    const recorded = manifest().stages;
    for (const stage of STAGES) expect(recorded[stage.name].codeHash, stage.name).toBe(versions.get(stage.module));
  });

  it("re-run only the stage whose worker-only model file changed", async () => {
    const unchanged = await run();
    expect(unchanged.code, unchanged.stderr).toBe(0);
    expect(unchanged.stdout).toContain("Everything is up to date");

    const file = join(copy, "models", "recommend", "als.ts");
    writeFileSync(file, readFileSync(file, "utf8") + "\n// an edit\n");
    const edited = await run();
    expect(edited.code, edited.stderr).toBe(0);
    expect(ran()).toEqual([["recommendations", "code changed"]]);
  });

  it("re-run the stages importing src/shared/values.ts when it changes", async () => {
    const file = join(copy, "src", "shared", "values.ts");
    writeFileSync(file, readFileSync(file, "utf8") + "\n// an edit\n");
    const edited = await run();
    expect(edited.code, edited.stderr).toBe(0);
    const stages = ran();
    expect(stages).toContainEqual(["basket", "code changed"]);
    expect(stages.map(([name]) => name)).not.toContain("ingest");
    expect(stages.every(([, reason]) => reason === "code changed")).toBe(true);
  });
});

describe("npm run pipeline -- --graph", () => {
  it("prints the stage graph and exits 0 without running anything or taking the lock", async () => {
    const result = await pipeline("--graph", "--warehouse", "elsewhere");
    expect(result).toEqual({code: 0, stdout: formatGraph(STAGES), stderr: ""});
    expect(existsSync(join(work, "elsewhere"))).toBe(false);
  });
});
