import {describe, expect, it} from "vitest";
import {describeFit, fitWindow} from "../../loaders/run/fit-window.js";

describe("fit windows", () => {
  // The shipped data: Wednesday 2010-12-01 to Friday 2011-12-09.
  it("ends a week refit on the last Sunday on or before the last day", () => {
    expect(fitWindow("2010-12-01", "2011-12-09", "week").fittedThrough).toBe("2011-12-04");
    expect(fitWindow("2010-12-01", "2011-12-08", "week").fittedThrough).toBe("2011-12-04");
    expect(fitWindow("2010-12-01", "2011-12-04", "week").fittedThrough).toBe("2011-12-04");
    expect(fitWindow("2010-12-01", "2011-12-05", "week").fittedThrough).toBe("2011-12-04");
    expect(fitWindow("2010-12-01", "2011-12-11", "week").fittedThrough).toBe("2011-12-11");
  });

  it("ends a month refit on the last day of the last complete month", () => {
    expect(fitWindow("2010-12-01", "2011-12-09", "month").fittedThrough).toBe("2011-11-30");
    expect(fitWindow("2010-12-01", "2011-11-30", "month").fittedThrough).toBe("2011-11-30");
    expect(fitWindow("2010-12-01", "2012-03-01", "month").fittedThrough).toBe("2012-02-29");
  });

  it("refits every day with refit: day", () => {
    expect(fitWindow("2010-12-01", "2011-12-09", "day")).toMatchObject({fittedThrough: "2011-12-09", rule: "refitted on every new day of data"});
  });

  it("uses all the data while no period is complete", () => {
    // A first extract, Wednesday to Saturday: no Sunday yet after the first day.
    const window = fitWindow("2010-12-01", "2010-12-04", "week");
    expect(window.fittedThrough).toBe("2010-12-04");
    expect(window.rule).toBe("the data (2010-12-01 to 2010-12-04) covers no complete week yet, so the fit uses all of it");
    expect(fitWindow("2010-12-01", "2010-12-05", "week").fittedThrough).toBe("2010-12-05");
  });

  it("says which fit a page shows, and refuses bad input", () => {
    expect(describeFit(fitWindow("2010-12-01", "2011-12-09", "week"))).toBe("fitted and evaluated on data through 2011-12-04; scores as of 2011-12-09");
    expect(() => fitWindow("2010-12-01", "2011-12-09", "year" as never)).toThrow('invalid refit; expected day, week or month: "year"');
    expect(() => fitWindow("2011-12-09", "2010-12-01", "week")).toThrow("invalid window; the first day 2011-12-09 is after the last day 2010-12-01");
    expect(() => fitWindow("2010-13-01", "2011-12-09", "week")).toThrow('invalid day; expected YYYY-MM-DD: "2010-13-01"');
  });
});
