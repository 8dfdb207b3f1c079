import {mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {describe, expect, it} from "vitest";
import {PROJECT_ROOT} from "../../loaders/paths.js";
import {bundleModule, inWorker} from "../../loaders/run/worker.js";

describe("inWorker", () => {
  it("runs a TypeScript module's function in a worker thread with typed-array arguments", async () => {
    const result = await inWorker<{total: number}>(new URL("../../models/random.ts", import.meta.url), "mulberry32Sequence", 7, 3);
    expect(result).toEqual((await import("../../models/random.js")).mulberry32Sequence(7, 3));
  });

  it("hands back a result's typed arrays whole (moved, not copied), views and Node Buffers included, call after call", async () => {
    const module = new URL("../fixtures/typed-result-model.ts", import.meta.url);
    const {columns} = await import("../fixtures/typed-result-model.js");
    for (const rows of [5_000, 300]) {
      const result = await inWorker<ReturnType<typeof columns>>(module, "columns", rows);
      const expected = columns(rows);
      expect(Object.keys(result)).toEqual(Object.keys(expected));
      for (const key of ["score", "user", "head", "tiny"] as const) {
        expect(result[key]).toBeInstanceOf((expected[key] as object).constructor);
        expect(Array.from(result[key] as ArrayLike<number>)).toEqual(Array.from(expected[key] as ArrayLike<number>));
      }
      expect(Array.from((result.lists as {rank: Uint8Array}[])[0]!.rank)).toEqual(Array.from((expected.lists as {rank: Uint8Array}[])[0]!.rank));
      expect(Buffer.from(result.label as Uint8Array).toString()).toBe("typed result");
      expect(result.rows).toBe(rows);
    }
    // The pooled worker that answered is asked next: the buffer it handed over is no longer its own.
    expect(await inWorker<boolean>(module, "lastMoved")).toBe(true);
  });

  it("reports the worker's error", async () => {
    await expect(inWorker(new URL("../../models/random.ts", import.meta.url), "nope")).rejects.toThrow("has no exported function nope");
  });
});

describe("bundleModule", () => {
  it("finds a project module's bundle again by its code version, and makes a new one when a file it imports changes", async () => {
    const dir = join(PROJECT_ROOT, "test", "fixtures", `.worker-bundle-${process.pid}`);
    mkdirSync(dir, {recursive: true});
    try {
      writeFileSync(join(dir, "value.ts"), "export const value = 1;\n");
      writeFileSync(join(dir, "model.ts"), 'import {value} from "./value.js";\nexport const read = () => value;\n');
      const url = pathToFileURL(join(dir, "model.ts")).href;
      const first = await bundleModule(url);
      expect(await bundleModule(url)).toBe(first);
      expect(readFileSync(fileURLToPath(first), "utf8")).toContain("value = 1");
      writeFileSync(join(dir, "value.ts"), "export const value = 2;\n");
      const second = await bundleModule(url);
      expect(second).not.toBe(first);
      expect(readFileSync(fileURLToPath(second), "utf8")).toContain("value = 2");
      expect(((await import(second)) as {read: () => number}).read()).toBe(2);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
