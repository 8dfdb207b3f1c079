import {describe, expect, it} from "vitest";
import {onPopState} from "../../src/components/popstate.js";

const pop = (target: EventTarget) => target.dispatchEvent(new Event("popstate"));

describe("onPopState", () => {
  it("stops listening when the cell's invalidation promise resolves", async () => {
    const target = new EventTarget();
    let calls = 0;
    let invalidate!: () => void;
    const invalidation = new Promise<void>((resolve) => (invalidate = resolve));
    onPopState({isConnected: true}, () => calls++, {invalidation, target});
    pop(target);
    expect(calls).toBe(1);
    invalidate();
    await invalidation;
    pop(target);
    expect(calls).toBe(1);
  });

  it("re-runs of a cell do not stack listeners: an input that left the page is dropped at the next back/forward", () => {
    const target = new EventTarget();
    const calls: string[] = [];
    const first = {isConnected: true};
    onPopState(first, () => calls.push("first"), {target});
    first.isConnected = false; // the cell re-ran and replaced its input
    onPopState({isConnected: true}, () => calls.push("second"), {target});
    pop(target);
    pop(target);
    expect(calls).toEqual(["second", "second"]);
  });

  it("keeps listening for an input not yet on the page (made before it is displayed)", () => {
    const target = new EventTarget();
    const element = {isConnected: false};
    let calls = 0;
    onPopState(element, () => calls++, {target});
    pop(target);
    element.isConnected = true;
    pop(target);
    element.isConnected = false;
    pop(target);
    pop(target);
    expect(calls).toBe(2);
  });
});
