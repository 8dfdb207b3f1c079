import {describe, expect, it} from "vitest";
import {addDays, daysInclusive, filtersToSearch, getParam, parseFilters, previousPeriod, sameFilters, setParam} from "../../src/components/url-state.js";

describe("filter state in the URL", () => {
  it("reads countries (repeated, deduplicated, sorted) and inclusive dates", () => {
    expect(parseFilters("?country=Germany&country=France&country=Germany&from=2011-01-01&to=2011-03-31")).toEqual({
      countries: ["France", "Germany"], from: "2011-01-01", to: "2011-03-31"
    });
  });

  it("reads no parameters as no filters", () => {
    expect(parseFilters("")).toEqual({countries: [], from: null, to: null});
  });

  it("ignores malformed dates and empty countries, and swaps a reversed range", () => {
    expect(parseFilters("?from=2011-13-45&to=yesterday&country=")).toEqual({countries: [], from: null, to: null});
    expect(parseFilters("?from=2011-06-30&to=2011-01-01")).toEqual({countries: [], from: "2011-01-01", to: "2011-06-30"});
  });

  it("keeps countries with spaces, commas and ampersands intact through a round trip", () => {
    const filters = {countries: ["Channel Islands", "Korea, Republic of", "Trinidad & Tobago"], from: "2010-12-01", to: null};
    const search = filtersToSearch(filters);
    expect(search).toBe("?country=Channel+Islands&country=Korea%2C+Republic+of&country=Trinidad+%26+Tobago&from=2010-12-01");
    expect(parseFilters(search)).toEqual(filters);
  });

  it("writes filters without touching other parameters, and nothing for no filters", () => {
    expect(filtersToSearch({countries: ["France"], from: null, to: "2011-02-01"}, "?sql=SELECT+1&country=Spain&from=2010-01-01")).toBe(
      "?sql=SELECT+1&country=France&to=2011-02-01"
    );
    expect(filtersToSearch({countries: [], from: null, to: null}, "?country=Spain")).toBe("");
  });

  it("compares filters by value", () => {
    expect(sameFilters({countries: ["A"], from: null, to: null}, {countries: ["A"], from: null, to: null})).toBe(true);
    expect(sameFilters({countries: ["A"], from: null, to: null}, {countries: ["A", "B"], from: null, to: null})).toBe(false);
    expect(sameFilters({countries: [], from: "2011-01-01", to: null}, {countries: [], from: null, to: null})).toBe(false);
  });

  it("sets and removes plain parameters such as the SQL console's query", () => {
    const search = setParam("?country=France", "sql", "SELECT * FROM sales WHERE country = 'France' & 1=1");
    expect(getParam(search, "sql")).toBe("SELECT * FROM sales WHERE country = 'France' & 1=1");
    expect(getParam(search, "country")).toBe("France");
    expect(setParam(search, "sql", null)).toBe("?country=France");
    expect(setParam("?sql=x", "sql", "")).toBe("");
  });
});

describe("periods", () => {
  it("counts days inclusively and shifts across month and year ends", () => {
    expect(daysInclusive("2011-01-01", "2011-01-31")).toBe(31);
    expect(daysInclusive("2011-03-01", "2011-03-01")).toBe(1);
    expect(addDays("2010-12-31", 1)).toBe("2011-01-01");
    expect(addDays("2011-03-01", -1)).toBe("2011-02-28");
  });

  it("gives the period of the same length just before the range", () => {
    expect(previousPeriod("2011-07-01", "2011-09-30")).toEqual({from: "2011-03-31", to: "2011-06-30"});
    expect(previousPeriod("2011-12-09", "2011-12-09")).toEqual({from: "2011-12-08", to: "2011-12-08"});
    expect(previousPeriod(null, "2011-01-01")).toBeNull();
    expect(previousPeriod("2011-01-01", null)).toBeNull();
  });
});
