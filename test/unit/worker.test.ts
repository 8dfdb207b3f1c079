import {describe, expect, it} from "vitest";
import {inWorker} from "../../loaders/run/worker.js";

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
