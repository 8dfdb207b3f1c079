import {describe, expect, it} from "vitest";
import {
  addDays,
  addMonths,
  daysInclusive,
  defaultComparison,
  filtersToSearch,
  getParam,
  NO_FILTERS,
  parseFilters,
  previousPeriod,
  revenueColumn,
  sameFilters,
  setParam,
  type Filters
} from "../../src/components/url-state.js";

const f = (filters: Partial<Filters>): Filters => ({...NO_FILTERS, ...filters});

describe("filter state in the URL", () => {
  it("reads countries (repeated, deduplicated, sorted) and inclusive dates", () => {
    expect(parseFilters("?country=Germany&country=France&country=Germany&from=2011-01-01&to=2011-03-31")).toEqual({
      countries: ["France", "Germany"],
      products: [],
      from: "2011-01-01",
      to: "2011-03-31",
      measure: "net"
    });
  });

  it("reads no parameters as no filters", () => {
    expect(parseFilters("")).toEqual({countries: [], products: [], from: null, to: null, measure: "net"});
  });

  it("ignores malformed dates and empty countries, and swaps a reversed range", () => {
    expect(parseFilters("?from=2011-13-45&to=yesterday&country=&revenue=both")).toEqual(f({}));
    expect(parseFilters("?from=2011-06-30&to=2011-01-01")).toEqual(f({from: "2011-01-01", to: "2011-06-30"}));
  });

  it("keeps countries with spaces, commas and ampersands intact through a round trip", () => {
    const filters = f({countries: ["Channel Islands", "Korea, Republic of", "Trinidad & Tobago"], from: "2010-12-01"});
    const search = filtersToSearch(filters);
    expect(search).toBe("?country=Channel+Islands&country=Korea%2C+Republic+of&country=Trinidad+%26+Tobago&from=2010-12-01");
    expect(parseFilters(search)).toEqual(filters);
  });

  it("writes filters without touching other parameters, and nothing for no filters", () => {
    expect(filtersToSearch(f({countries: ["France"], to: "2011-02-01"}), "?sql=SELECT+1&country=Spain&from=2010-01-01")).toBe(
      "?sql=SELECT+1&country=France&to=2011-02-01"
    );
    expect(filtersToSearch(f({}), "?country=Spain&product=22423&revenue=gross")).toBe("");
  });

  it("keeps products (stock codes, upper-cased) and the gross measure; net is the default and not written", () => {
    const filters = parseFilters("?product=85123a&product=22423&product=85123A&revenue=gross");
    expect(filters).toEqual(f({products: ["22423", "85123A"], measure: "gross"}));
    expect(filtersToSearch(filters)).toBe("?product=22423&product=85123A&revenue=gross");
    expect(filtersToSearch({...filters, measure: "net"})).toBe("?product=22423&product=85123A");
    expect(revenueColumn("net")).toBe("net_revenue");
    expect(revenueColumn("gross")).toBe("revenue");
  });

  it("compares filters by value", () => {
    expect(sameFilters(f({countries: ["A"]}), f({countries: ["A"]}))).toBe(true);
    expect(sameFilters(f({countries: ["A"]}), f({countries: ["A", "B"]}))).toBe(false);
    expect(sameFilters(f({from: "2011-01-01"}), f({}))).toBe(false);
    expect(sameFilters(f({products: ["22423"]}), f({}))).toBe(false);
    expect(sameFilters(f({measure: "gross"}), f({}))).toBe(false);
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

  it("shifts by calendar months", () => {
    expect(addMonths("2011-12-09", -6)).toBe("2011-06-09");
    expect(addMonths("2011-12-09", -12)).toBe("2010-12-09");
  });

  it("compares the last 12 months with the 12 before, or the longest window the data covers", () => {
    expect(defaultComparison("2009-01-01", "2011-12-09")).toEqual({
      current: {from: "2010-12-10", to: "2011-12-09"},
      previous: {from: "2009-12-10", to: "2010-12-09"},
      label: "last 12 months vs the 12 before"
    });
    // The shipped data (1 Dec 2010 – 9 Dec 2011) has no 12 months before its last 12: 6 months it has.
    expect(defaultComparison("2010-12-01", "2011-12-09")).toEqual({
      current: {from: "2011-06-10", to: "2011-12-09"},
      previous: {from: "2010-12-10", to: "2011-06-09"},
      label: "last 6 months vs the 6 before"
    });
    expect(defaultComparison("2011-10-01", "2011-12-09")?.label).toBe("last month vs the month before");
    expect(defaultComparison("2011-12-01", "2011-12-09")).toBeNull();
  });
});
