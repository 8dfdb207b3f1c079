import {afterEach, beforeEach, describe, expect, it, vi} from "vitest";
import {paced} from "../../src/components/loading.js";

/** A cell's invalidation promise and the function that resolves it (the cell re-runs). */
function cell(): {invalidation: Promise<void>; invalidate: () => void} {
  let invalidate!: () => void;
  const invalidation = new Promise<void>((resolve) => (invalidate = resolve));
  return {invalidation, invalidate};
}

/** Records when (in fake ms) each paced call resolves. */
function track(promise: Promise<void>, label: string, log: string[]): void {
  promise.then(() => log.push(`${label} at ${performance.now()}`));
}

describe("paced", () => {
  beforeEach(() => vi.useFakeTimers({toFake: ["setTimeout", "clearTimeout", "performance"]}));
  afterEach(() => vi.useRealTimers());

  it("starts a lone change at once (once idle), and a burst of changes once, for the last, after it has been still for the delay", async () => {
    const pace = paced(150);
    const log: string[] = [];
    const first = cell();
    track(pace(first.invalidation), "first", log);
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(["first at 1"]);

    // A burst: three changes 50 ms apart, each re-running the cell.
    await vi.advanceTimersByTimeAsync(490); // t = 500, a pause since the first
    const cells = [cell(), cell(), cell()];
    for (const [i, each] of cells.entries()) {
      if (i > 0) (await vi.advanceTimersByTimeAsync(50), cells[i - 1]!.invalidate());
      track(pace(each.invalidation), `burst ${i}`, log);
    }
    // The burst's first change came after a pause: it starts at once, before the second supersedes it.
    expect(log).toEqual(["first at 1", "burst 0 at 501"]);
    await vi.advanceTimersByTimeAsync(149); // t = 749
    expect(log).toEqual(["first at 1", "burst 0 at 501"]);
    await vi.advanceTimersByTimeAsync(2);
    expect(log).toEqual(["first at 1", "burst 0 at 501", "burst 2 at 751"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(log, "the change passed over never starts").toEqual(["first at 1", "burst 0 at 501", "burst 2 at 751"]);
  });

  it("never starts the work of a cell invalidated while it waits, even for a lone change", async () => {
    const pace = paced(150);
    const log: string[] = [];
    const lone = cell();
    track(pace(lone.invalidation), "lone", log);
    lone.invalidate();
    await vi.advanceTimersByTimeAsync(1000);
    expect(log).toEqual([]);
  });

  it("refuses a bad delay, showing it", () => {
    expect(() => paced(-1)).toThrow("invalid delay; not a non-negative number of milliseconds: -1");
    expect(() => paced(Number.NaN)).toThrow("invalid delay; not a non-negative number of milliseconds: NaN");
  });
});
