import {describe, expect, it} from "vitest";
import {productTotalsQuery, rangePieces} from "../../src/components/product-totals.js";

const extent = {from: "2010-12-01", to: "2011-12-09"};

describe("rangePieces", () => {
  it("reads a range's whole months from the monthly mart and its partial months by day", () => {
    // The Overview's default comparison on the shipped data: the last 6 months against the 6 before.
    expect(rangePieces({from: "2011-06-10", to: "2011-12-09"}, extent)).toEqual({
      months: {from: "2011-07-01", to: "2011-12-01"}, // December is whole as far as the data goes
      days: [{from: "2011-06-10", to: "2011-06-30"}]
    });
    expect(rangePieces({from: "2010-12-10", to: "2011-06-09"}, extent)).toEqual({
      months: {from: "2011-01-01", to: "2011-05-01"},
      days: [
        {from: "2010-12-10", to: "2010-12-31"},
        {from: "2011-06-01", to: "2011-06-09"}
      ]
    });
  });

  it("handles a range inside one month, a whole month, ranges past or before the data, and February", () => {
    expect(rangePieces({from: "2011-03-05", to: "2011-03-20"}, extent)).toEqual({months: null, days: [{from: "2011-03-05", to: "2011-03-20"}]});
    expect(rangePieces({from: "2011-02-01", to: "2011-02-28"}, extent)).toEqual({months: {from: "2011-02-01", to: "2011-02-01"}, days: []});
    expect(rangePieces({from: "2011-02-01", to: "2011-02-27"}, extent)).toEqual({months: null, days: [{from: "2011-02-01", to: "2011-02-27"}]});
    expect(rangePieces({from: "2009-01-01", to: "2030-01-01"}, extent)).toEqual({months: {from: "2010-12-01", to: "2011-12-01"}, days: []});
    expect(rangePieces({from: "2012-01-01", to: "2012-02-01"}, extent)).toBeNull();
    expect(rangePieces({from: "2011-11-20", to: "2012-01-15"}, extent)).toEqual({
      months: {from: "2011-12-01", to: "2011-12-01"},
      days: [{from: "2011-11-20", to: "2011-11-30"}]
    });
  });
});

describe("productTotalsQuery", () => {
  it("binds the filter's values once per part read, in order", () => {
    const where = {text: "country IN (?)", params: ["France"]};
    const {text, params} = productTotalsQuery({column: "net_revenue", ranges: {value: {from: "2010-12-10", to: "2011-06-09"}}, where, extent});
    expect(text.match(/\?/g)).toHaveLength(3); // the months, and two day intervals
    expect(params).toEqual(["France", "France", "France"]);
  });

  it("refuses bad options, showing the value", () => {
    const ranges = {value: extent};
    expect(() => productTotalsQuery({column: "revenue", ranges, extent, limit: 0})).toThrow("invalid limit; not a positive integer: 0");
    expect(() => productTotalsQuery({column: "units" as never, ranges, extent})).toThrow('invalid column; not revenue or net_revenue: "units"');
    expect(() => productTotalsQuery({column: "revenue", ranges: {"value; DROP": extent}, extent})).toThrow(
      'invalid range name; not a lower-case SQL identifier: "value; DROP"'
    );
    expect(() => productTotalsQuery({column: "revenue", ranges: {value: {from: "2011-13-01", to: "2011-12-01"}}, extent})).toThrow(
      'invalid value.from; not a YYYY-MM-DD day: "2011-13-01"'
    );
    expect(() => productTotalsQuery({column: "revenue", ranges: {value: {from: "1 Jan' OR TRUE --", to: "2011-12-01"}}, extent})).toThrow("invalid value.from");
    expect(() => productTotalsQuery({column: "revenue", ranges, extent, returnsOf: "window"})).toThrow(
      'invalid returnsOf; not one of the ranges (value): "window"'
    );
  });
});
