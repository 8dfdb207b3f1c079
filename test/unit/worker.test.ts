import {describe, expect, it} from "vitest";
import {inWorker} from "../../loaders/run/worker.js";

describe("inWorker", () => {
  it("runs a TypeScript module's function in a worker thread with typed-array arguments", async () => {
    const result = await inWorker<{total: number}>(new URL("../../models/random.ts", import.meta.url), "mulberry32Sequence", 7, 3);
    expect(result).toEqual((await import("../../models/random.js")).mulberry32Sequence(7, 3));
  });

  it("reports the worker's error", async () => {
    await expect(inWorker(new URL("../../models/random.ts", import.meta.url), "nope")).rejects.toThrow("has no exported function nope");
  });
});
