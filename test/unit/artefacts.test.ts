import {describe, expect, it} from "vitest";
import {artefactKey} from "../../loaders/run/artefacts.js";

describe("artefactKey", () => {
  it("is the same for equal values and differs for any difference in type, order or value", () => {
    const input = () => ({codes: ["a", "b"], days: new Int32Array([1, 2, 3]), prices: new Float64Array([0.5, Number.NaN]), n: 3});
    expect(artefactKey("basket", input())).toBe(artefactKey("basket", input()));
    // A view of a larger buffer hashes by its own values.
    const big = new Int32Array([9, 1, 2, 3, 9]);
    expect(artefactKey({days: big.subarray(1, 4)})).toBe(artefactKey({days: new Int32Array([1, 2, 3])}));
    const variants = [
      artefactKey("basket", input()),
      artefactKey("forecast", input()),
      artefactKey("basket", {...input(), n: "3"}),
      artefactKey("basket", {...input(), days: new Uint32Array([1, 2, 3])}),
      artefactKey("basket", {...input(), days: new Int32Array([1, 2, 4])}),
      artefactKey("basket", {...input(), codes: ["b", "a"]}),
      artefactKey("basket", {...input(), codes: ["ab"]}),
      artefactKey("basket", {...input(), n: -0}),
      artefactKey("basket", {...input(), n: null}),
      artefactKey("basket", {n: 3, codes: ["a", "b"], days: new Int32Array([1, 2, 3]), prices: new Float64Array([0.5, Number.NaN])})
    ];
    expect(new Set(variants).size).toBe(variants.length);
  });

  it("refuses values it cannot hash by content", () => {
    expect(() => artefactKey({seen: new Map()})).toThrow("artefactKey: a fit input holds a Map; pass typed arrays, arrays and plain objects");
  });
});
