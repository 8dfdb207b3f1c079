import {describe, expect, it} from "vitest";
import * as basket from "../../../models/basket/index.js";
import * as forecast from "../../../models/forecast/index.js";
import {integerBetween, numberBetween, oneOf, positiveInteger, withDefaults} from "../../../models/options.js";

describe("option checks", () => {
  it("show the option and the bad value", () => {
    expect(() => positiveInteger("k", 0)).toThrow("invalid k; not a positive integer: 0");
    expect(() => positiveInteger("k", 2.5)).toThrow("invalid k; not a positive integer: 2.5");
    expect(() => positiveInteger("k", "3")).toThrow('invalid k; not a positive integer: "3"');
    expect(() => integerBetween("levels", 1, 2, 255)).toThrow("invalid levels; not an integer from 2 to 255: 1");
    expect(() => numberBetween("share", 1, 0, 1, true)).toThrow("invalid share; not a number strictly between 0 and 1: 1");
    expect(() => oneOf("refit", "year", ["day", "week"])).toThrow('invalid refit; expected one of "day", "week": "year"');
    expect(positiveInteger("k", 4)).toBe(4);
  });

  it("merge over the defaults, refuse unknown keys and check every value", () => {
    const defaults = {k: 4, share: 0.5};
    const validate = {k: positiveInteger, share: (name: string, value: unknown) => numberBetween(name, value, 0, 1)};
    expect(withDefaults("toy", defaults, {k: 6, share: undefined}, validate)).toEqual({k: 6, share: 0.5});
    expect(() => withDefaults("toy", defaults, {kk: 6} as never, validate)).toThrow("invalid toy option; unknown: kk (options: k, share)");
    expect(() => withDefaults("toy", defaults, {share: 2}, validate)).toThrow("invalid share; not a number from 0 to 1: 2");
  });
});

describe("basket and forecast options", () => {
  it("refuse bad values, naming the option and showing the value", () => {
    expect(() => basket.options({maxSize: 0})).toThrow("invalid maxSize; not a positive integer: 0");
    expect(() => basket.options({minSupport: 1})).toThrow("invalid minSupport; not a number strictly between 0 and 1: 1");
    expect(() => basket.options({minConfidence: -0.1})).toThrow("invalid minConfidence; not a number from 0 to 1: -0.1");
    expect(() => forecast.options({weeks: {horizon: 4, backtestPeriods: 0, backtestHorizons: [1]}})).toThrow(
      "invalid weeks.backtestPeriods; not a positive integer: 0"
    );
    expect(() => forecast.options({months: {horizon: 3, backtestPeriods: 3, backtestHorizons: []}})).toThrow(
      "invalid months.backtestHorizons; not a non-empty list of positive integers: []"
    );
  });

  it("merge partial options over the defaults", () => {
    expect(basket.options({maxSize: 3})).toEqual({...basket.defaults, maxSize: 3});
    expect(forecast.options({shutdownMinDays: 10}).weeks).toEqual(forecast.defaults.weeks);
  });
});
