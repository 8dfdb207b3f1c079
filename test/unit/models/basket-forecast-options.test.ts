import {describe, expect, it} from "vitest";
import * as basket from "../../../models/basket/index.js";
import * as forecast from "../../../models/forecast/index.js";

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
