/**
 * The shared filter, KPI and table components' pure pieces: en-GB dates, presets, the country summary, the
 * KPIs of a selection of orders with their comparison period (net by default), and the table's search and
 * sort. Hand-made rows with answers worked out by hand.
 */
import {describe, expect, it} from "vitest";
import * as aq from "../../src/components/arquero.js";
import {describeCountries} from "../../src/components/country-picker.js";
import {searchRows, sortRows} from "../../src/components/data-table.js";
import {activePreset, describeRange} from "../../src/components/filters.js";
import {formatDayNumeric, parseDayGB} from "../../src/components/format.js";
import {comparisonPeriods, salesKpis} from "../../src/components/kpis.js";
import {leaders, sumBy, sumColumns} from "../../src/components/leaderboard.js";
import {filterTable} from "../../src/components/sales-filter.js";
import {mulberry32} from "../../models/random.js";
import {labelColour} from "../../src/components/charts/rfm-grid.js";
import {NO_FILTERS, type Filters} from "../../src/components/url-state.js";

const f = (filters: Partial<Filters>): Filters => ({...NO_FILTERS, ...filters});

describe("en-GB dates", () => {
  it("reads day/month/year in the usual spellings and ISO days", () => {
    expect(parseDayGB("5/12/2011")).toBe("2011-12-05");
    expect(parseDayGB("05/12/2011")).toBe("2011-12-05");
    expect(parseDayGB(" 5.12.11 ")).toBe("2011-12-05");
    expect(parseDayGB("2011-12-05")).toBe("2011-12-05");
    expect(parseDayGB("")).toBeNull();
    expect(formatDayNumeric("2011-12-05")).toBe("05/12/2011");
  });

  it("names the text it cannot read, and refuses days that do not exist", () => {
    expect((parseDayGB("12/31/2011") as Error).message).toBe("no such day: 12/31/2011");
    expect((parseDayGB("31/02/2011") as Error).message).toBe("no such day: 31/02/2011");
    expect((parseDayGB("yesterday") as Error).message).toBe("not a date (day/month/year): yesterday");
  });
});

describe("date presets", () => {
  const first = "2010-12-01";
  const last = "2011-12-09";
  it("recognises the preset a range is, so the bar can highlight it", () => {
    expect(activePreset({from: null, to: null}, first, last)?.label).toBe("All");
    expect(activePreset({from: "2011-09-11", to: "2011-12-09"}, first, last)?.label).toBe("Last 90 days");
    expect(activePreset({from: "2011-01-01", to: "2011-12-09"}, first, last)?.label).toBe("Year to date");
    expect(activePreset({from: "2010-01-01", to: "2010-12-31"}, first, last)?.label).toBe("Previous year");
    expect(activePreset({from: "2011-09-12", to: "2011-12-09"}, first, last)).toBeUndefined();
  });

  it("describes a range in words", () => {
    expect(describeRange({from: null, to: null}, first, last)).toBe("all dates (1 Dec 2010 – 9 Dec 2011)");
    expect(describeRange({from: "2011-09-11", to: "2011-12-09"}, first, last)).toBe("last 90 days (11 Sept 2011 – 9 Dec 2011)");
    expect(describeRange({from: "2011-07-01", to: null}, first, last)).toBe("1 Jul 2011 – 9 Dec 2011");
  });
});

describe("country summary", () => {
  const countries = ["United Kingdom", "Germany", "France", "EIRE"];
  it("says all, the home market, outside it, a short list or a count", () => {
    expect(describeCountries([], countries)).toBe("All countries");
    expect(describeCountries(["United Kingdom"], countries)).toBe("United Kingdom");
    expect(describeCountries(["EIRE", "France", "Germany"], countries)).toBe("Outside UK");
    expect(describeCountries(["France", "Germany"], countries)).toBe("France, Germany");
    expect(describeCountries(["EIRE", "France", "United Kingdom"], countries)).toBe("3 countries");
  });
});

describe("KPIs of a selection of daily sales", () => {
  // Six days' sales, one invoice each; the invoice of 3 Feb was cancelled in full (net 0), that of 1 Mar in part.
  const daily = aq.table({
    day: ["2011-01-05", "2011-01-20", "2011-02-03", "2011-02-10", "2011-03-01", "2011-03-02"],
    country: ["France", "Germany", "France", "France", "Germany", "France"],
    orders: [1, 1, 1, 1, 1, 1],
    units: [10, 5, 100, 2, 8, 4],
    revenue: [100, 50, 1000, 20, 80, 40],
    net_revenue: [100, 50, 0, 20, 60, 40]
  });
  const data = {first: "2011-01-01", last: "2011-03-02"};

  it("counts net revenue by default and gross on request, with the previous period of the same length", () => {
    const net = salesKpis(daily, f({countries: ["France"], from: "2011-02-01", to: "2011-03-02"}), data);
    // France 1 Feb – 2 Mar: 3, 10 Feb and 2 Mar → net 0 + 20 + 40 = 60; customers are counted elsewhere.
    expect(net.current).toEqual({revenue: 60, orders: 3, units: 106, customers: null, averageOrderValue: 20});
    // The previous 30 days, 2 Jan – 31 Jan: France's 5 January.
    expect(net.previous).toEqual({revenue: 100, orders: 1, units: 10, customers: null, averageOrderValue: 100});
    expect(net.comparison).toBe("vs the previous 30 days");
    const gross = salesKpis(daily, f({countries: ["France"], from: "2011-02-01", to: "2011-03-02", measure: "gross"}), data);
    expect(gross.current.revenue).toBe(1060);
    expect(gross.measure).toBe("gross");
  });

  it("sums the orders of every country of a day (rows of the mart, not invoices)", () => {
    const twoCountries = aq.table({
      day: ["2011-01-05", "2011-01-05", "2011-01-06"],
      country: ["France", "Spain", "France"],
      orders: [3, 2, 4],
      units: [1, 1, 1],
      revenue: [30, 20, 50],
      net_revenue: [30, 20, 50]
    });
    const kpis = salesKpis(twoCountries, f({from: "2011-01-05", to: "2011-01-06"}), {first: "2011-01-01", last: "2011-01-06"});
    expect(kpis.current).toEqual({revenue: 100, orders: 9, units: 3, customers: null, averageOrderValue: 100 / 9});
    expect([kpis.steps, kpis.series.orders]).toEqual([
      ["2011-01-05", "2011-01-06"],
      [5, 4]
    ]);
  });

  it("says so when the previous period starts before the data, instead of a change", () => {
    const kpis = salesKpis(daily, f({from: "2011-01-01", to: "2011-01-31"}), data);
    expect(kpis.previous).toBeNull();
    expect(kpis.comparison).toBe("no previous 31 days in the data (it starts 2011-01-01)");
  });

  it("for All, shows every day and compares the last month with the month before", () => {
    const kpis = salesKpis(daily, f({}), data);
    expect(kpis.current.revenue).toBe(270);
    expect(kpis.current.orders).toBe(6);
    expect(kpis.comparison).toBe("last month vs the month before");
    // Last month: 3 Feb – 2 Mar (net 120); the month before: 3 Jan – 2 Feb (net 150).
    expect(kpis.window?.revenue).toBe(120);
    expect(kpis.previous?.revenue).toBe(150);
    // Sparklines: one point per week (the data spans under 92 days), weeks keyed by their Monday.
    expect(kpis.steps).toEqual(["2011-01-03", "2011-01-17", "2011-01-31", "2011-02-07", "2011-02-28"]);
    expect(kpis.series.revenue).toEqual([100, 50, 0, 20, 100]);
    expect(kpis.series.averageOrderValue).toEqual([100, 50, 0, 20, 50]);
    // Over 92 days or more, one point per month.
    const months = salesKpis(daily, f({}), {first: "2010-12-01", last: "2011-03-02"});
    expect([months.steps, months.series.revenue]).toEqual([
      ["2011-01", "2011-02", "2011-03"],
      [150, 20, 100]
    ]);
    // The same rows out of day order: the same figures.
    const reordered = salesKpis(aq.from(daily.objects().reverse() as Record<string, unknown>[]), f({}), data);
    expect(reordered.series).toEqual(kpis.series);
    expect(reordered.current).toEqual(kpis.current);
  });
});

describe("table search and sort", () => {
  const rows = [
    {code: "22423", name: "REGENCY CAKESTAND 3 TIER", revenue: 164_762, rate: null},
    {code: "85123A", name: "WHITE HANGING HEART T-LIGHT HOLDER", revenue: 99_668, rate: 0.02},
    {code: "23843", name: "PAPER CRAFT , LITTLE BIRDIE", revenue: 0, rate: 1},
    {code: "47566", name: "PARTY BUNTING", revenue: 98_243, rate: 0.01}
  ];
  it("finds rows containing every word, case-insensitively, in the searchable columns", () => {
    expect(searchRows(rows, ["code", "name"], "heart holder").map((row) => row.code)).toEqual(["85123A"]);
    expect(searchRows(rows, ["code", "name"], "  ").length).toBe(4);
    expect(searchRows(rows, ["name"], "22423")).toEqual([]);
  });

  it("sorts numbers and text either way, empty values last", () => {
    expect(sortRows(rows, "revenue", true).map((row) => row.code)).toEqual(["22423", "85123A", "47566", "23843"]);
    expect(sortRows(rows, "rate", false).map((row) => row.code)).toEqual(["47566", "85123A", "23843", "22423"]);
    expect(sortRows(rows, "rate", true).map((row) => row.code)).toEqual(["23843", "85123A", "47566", "22423"]);
    expect(sortRows(rows, "name", false).map((row) => row.code)).toEqual(["23843", "47566", "22423", "85123A"]);
  });
});

describe("leaderboards", () => {
  it("ranks keys by value with their share of the whole total and their change", () => {
    const current = sumBy(
      [
        {k: "UK", v: 60},
        {k: "France", v: 20},
        {k: "UK", v: 10},
        {k: "EIRE", v: 10},
        {k: null, v: 99}
      ],
      (d) => d.k,
      (d) => d.v
    );
    expect([...current]).toEqual([
      ["UK", 70],
      ["France", 20],
      ["EIRE", 10]
    ]);
    const previous = new Map([
      ["UK", 35],
      ["France", 40]
    ]);
    expect(leaders(current, {previous, limit: 2})).toEqual([
      {key: "UK", value: 70, share: 0.7, previous: 35, change: 1},
      {key: "France", value: 20, share: 0.2, previous: 40, change: -0.5}
    ]);
    // A key absent before has no change ("new"); with a window, the change compares the window.
    expect(leaders(current, {previous})[2]).toEqual({key: "EIRE", value: 10, share: 0.1, previous: 0, change: null});
    expect(leaders(current, {previous, window: new Map([["UK", 52.5]]), limit: 1, total: 200})).toEqual([
      {key: "UK", value: 70, share: 0.35, previous: 35, change: 0.5}
    ]);
  });

  it("ranks as a full sort would (value, then key), and sums numeric keys by their text", () => {
    const random = mulberry32(7);
    const ids = Array.from({length: 5_000}, () => 12_000 + Math.floor(random() * 900));
    const values = ids.map(() => Math.round(random() * 20) / 4); // many ties
    const sums = sumColumns(ids, values);
    const expected = new Map<string, number>();
    ids.forEach((id, i) => expected.set(String(id), (expected.get(String(id)) ?? 0) + values[i]!));
    expect([...sums].sort()).toEqual([...expected].sort());
    const sorted = [...expected].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const limit of [1, 3, 10, 900, 2_000]) expect(leaders(sums, {limit}).map((leader) => [leader.key, leader.value])).toEqual(sorted.slice(0, limit));
    expect(leaders(sums, {limit: 0})).toEqual([]);
    expect(sumColumns([1, null, 1, undefined, 2], [1, 5, 2, 5, 3])).toEqual(
      new Map([
        ["1", 3],
        ["2", 3]
      ])
    );
  });

  it("compares a chosen range with the same length before it, and All with the default comparison", () => {
    const data = {first: "2010-12-01", last: "2011-12-09"};
    expect(comparisonPeriods({from: "2011-09-11", to: "2011-12-09"}, data)).toEqual({
      window: null,
      previous: {from: "2011-06-13", to: "2011-09-10"},
      label: "vs the previous 90 days"
    });
    expect(comparisonPeriods({from: null, to: null}, data)).toEqual({
      window: {from: "2011-06-10", to: "2011-12-09"},
      previous: {from: "2010-12-10", to: "2011-06-09"},
      label: "last 6 months vs the 6 before"
    });
    expect(comparisonPeriods({from: "2011-07-01", to: null}, data).previous).toEqual({from: "2011-01-20", to: "2011-06-30"});
  });
});

describe("filterTable", () => {
  const random = mulberry32(11);
  const countries = ["United Kingdom", "France", "EIRE", "Germany"];
  const rows = Array.from({length: 2_000}, () => ({
    day: `2011-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-${String(1 + Math.floor(random() * 28)).padStart(2, "0")}`,
    country: countries[Math.floor(random() * countries.length)]!,
    revenue: Math.round(random() * 1000) / 10
  }));
  const sorted = [...rows].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const naive = (list: typeof rows, filters: Filters) =>
    list.filter(
      (row) =>
        (filters.countries.length === 0 || filters.countries.includes(row.country)) &&
        (!filters.from || row.day >= filters.from) &&
        (!filters.to || row.day <= filters.to)
    );
  const cases = [
    f({countries: ["France"]}),
    f({from: "2011-03-15"}),
    f({to: "2011-03-15"}),
    f({countries: ["EIRE", "Germany"], from: "2011-02-01", to: "2011-02-28"}),
    f({from: "2011-06-10", to: "2011-06-10"}),
    f({from: "2012-01-01"}),
    f({to: "2010-12-31"})
  ];

  it("keeps the rows a plain filter keeps, in their order, whether the days are sorted (binary search) or not", () => {
    for (const list of [rows, sorted]) {
      const table = aq.from(list);
      for (const filters of cases) expect(filterTable(table, filters).objects(), JSON.stringify(filters)).toEqual(naive(list, filters));
    }
  });

  it("computes each of the last three selections of a table once", () => {
    const table = aq.from(sorted);
    const [a, b, c, d] = cases;
    const first = filterTable(table, a!);
    expect(filterTable(table, {...a!, countries: [...a!.countries]})).toBe(first);
    const second = filterTable(table, b!);
    filterTable(table, c!);
    expect(filterTable(table, a!)).toBe(first);
    filterTable(table, d!); // a fourth: the least recently used (b) is dropped
    expect(filterTable(table, a!)).toBe(first);
    expect(filterTable(table, b!)).not.toBe(second);
    expect(filterTable(table, b!).objects()).toEqual(second.objects());
    expect(filterTable(aq.from(sorted), a!), "another table, another result").not.toBe(first);
    expect(filterTable(table, NO_FILTERS)).toBe(table);
  });
});

describe("label contrast", () => {
  it("writes black on pale cells and white on dark ones", () => {
    expect(labelColour("#edc949")).toBe("black"); // Tableau yellow
    expect(labelColour("#bab0ab")).toBe("black"); // grey
    expect(labelColour("#ff9da7")).toBe("black"); // pink
    expect(labelColour("#4e79a7")).toBe("black"); // mid blue: black contrasts slightly more (4.6 against 4.5)
    expect(labelColour("#1f3a5f")).toBe("white"); // navy
    expect(labelColour("#000000")).toBe("white");
  });
});
