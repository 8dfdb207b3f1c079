/**
 * The Overview's customer figures and the Sales page's rhythm: SQL that DuckDB-WASM runs over the invoices,
 * run here on real DuckDB over hand-made `orders` and `sales` tables with answers worked out by hand, and
 * on seeded random invoices against a Set per sparkline step (so the steps' SQL keys match kpis.ts's).
 */
import type {DuckDBValue} from "@duckdb/node-api";
import {beforeAll, describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {mulberry32} from "../../models/random.js";
import {customerCounts, customerCountsQuery, customerLeaders, customerLeadersQuery} from "../../src/components/customer-totals.js";
import {stepKey} from "../../src/components/kpis.js";
import {ordersSource, weekdayHourQuery} from "../../src/components/orders-source.js";
import {pipelineConnection} from "../helpers/duckdb.js";

const connection = pipelineConnection();
const ask = (query: {text: string; params: unknown[]}) => queryRows(connection(), query.text, query.params as DuckDBValue[]);

// Invoices A–I. Customer 101 bought from the UK, then from EIRE; invoice E has no customer; 104 bought
// outside March only. Times: A is a Wednesday 10:15, B a Saturday 10:40, C a Sunday 15:00.
const ORDERS = [
  ["A", "2011-03-02 10:15:00", 101, "United Kingdom", 10, 100, 90],
  ["B", "2011-03-05 10:40:00", 102, "France", 5, 50, 50],
  ["C", "2011-03-20 15:00:00", 101, "EIRE", 3, 30, 30],
  ["D", "2011-03-21 09:00:00", 103, "United Kingdom", 8, 80, 40],
  ["E", "2011-03-22 09:30:00", null, "United Kingdom", 50, 500, 500],
  ["F", "2011-02-10 11:00:00", 101, "EIRE", 4, 40, 40],
  ["G", "2011-02-11 12:00:00", 102, "France", 2, 25, 25],
  ["H", "2011-01-10 13:00:00", 104, "Spain", 9, 99, 99],
  ["I", "2011-04-01 14:00:00", 104, "Spain", 1, 10, 10]
] as const;

beforeAll(async () => {
  await connection().run(
    `CREATE TABLE orders (invoice_no VARCHAR, invoice_date TIMESTAMP, customer_id INTEGER, country VARCHAR, units BIGINT, revenue DOUBLE, net_revenue DOUBLE)`
  );
  await connection().run(
    `INSERT INTO orders VALUES ${ORDERS.map((row) => `(${row.map((value) => (value === null ? "NULL" : typeof value === "string" ? `'${value}'` : value)).join(", ")})`).join(", ")}`
  );
  // The lines of three of them: invoice A holds products P1 and P2, B only P2, D only P1.
  await connection().run(`CREATE TABLE sales AS SELECT * FROM (VALUES
    ('A', TIMESTAMP '2011-03-02 10:15:00', 101, 'United Kingdom', 'P1', 6, 60.0, 60.0),
    ('A', TIMESTAMP '2011-03-02 10:15:00', 101, 'United Kingdom', 'P2', 4, 40.0, 30.0),
    ('B', TIMESTAMP '2011-03-05 10:40:00', 102, 'France', 'P2', 5, 50.0, 50.0),
    ('D', TIMESTAMP '2011-03-21 09:00:00', 103, 'United Kingdom', 'P1', 8, 80.0, 40.0)
  ) AS t(invoice_no, invoice_date, customer_id, country, stock_code, quantity, revenue, net_revenue)`);
});

const march = {from: "2011-03-01", to: "2011-03-31"};
const february = {from: "2011-01-29", to: "2011-02-28"};

describe("customerCountsQuery", () => {
  it("counts the identified customers of the selection, of the period before and of each step", async () => {
    const counts = customerCounts(await ask(customerCountsQuery({ranges: {value: march, previous: february}, step: "week"})));
    // March: 101, 102, 103 (E has no customer); February: 101, 102.
    expect(counts).toEqual({
      value: 3,
      window: null,
      previous: 2,
      series: new Map([
        ["2011-02-28", 2], // A (101), B (102)
        ["2011-03-14", 1], // C (101) on Sunday the 20th
        ["2011-03-21", 1] // D (103); E counts for nobody
      ])
    });
  });

  it("filters by country, and by product through the products' lines", async () => {
    const uk = customerCounts(await ask(customerCountsQuery({ranges: {value: march}, countries: ["United Kingdom"], step: "month"})));
    expect([uk.value, [...uk.series]]).toEqual([2, [["2011-03", 2]]]); // 101 (A) and 103 (D)
    const p2 = customerCounts(
      await ask(customerCountsQuery({ranges: {value: march, window: {from: "2011-03-03", to: "2011-03-31"}}, products: ["P2"], step: "day"}))
    );
    expect(p2).toEqual({
      value: 2,
      window: 1,
      previous: null,
      series: new Map([
        ["2011-03-02", 1],
        ["2011-03-05", 1]
      ])
    });
  });

  it("keys its steps as kpis.ts keys the sparklines, and counts as a Set would", async () => {
    const random = mulberry32(11);
    const rows = Array.from({length: 2_000}, (_, i) => {
      const day = new Date(Date.UTC(2011, 0, 1 + Math.floor(random() * 365)));
      return {
        invoice_no: `R${i}`,
        day: day.toISOString().slice(0, 10),
        customer_id: random() < 0.1 ? null : Math.floor(random() * 300),
        country: random() < 0.5 ? "France" : "Spain"
      };
    });
    await connection().run("CREATE TEMP TABLE random_orders AS SELECT * FROM orders WHERE FALSE");
    await connection().run(
      `INSERT INTO random_orders VALUES ${rows.map((row) => `('${row.invoice_no}', TIMESTAMP '${row.day} 12:00:00', ${row.customer_id ?? "NULL"}, '${row.country}', 1, 1, 1)`).join(", ")}`
    );
    for (const step of ["day", "week", "month"] as const) {
      const query = customerCountsQuery({ranges: {value: {from: "2011-01-01", to: "2011-12-31"}}, countries: ["France"], step});
      const counts = customerCounts(await ask({...query, text: query.text.replace("FROM orders", "FROM random_orders")}));
      const expected = new Map<string, Set<number>>();
      for (const row of rows) {
        if (row.country !== "France" || row.customer_id === null) continue;
        const key = stepKey(step, row.day);
        if (!expected.has(key)) expected.set(key, new Set());
        expected.get(key)!.add(row.customer_id);
      }
      expect(new Map([...counts.series].sort())).toEqual(new Map([...expected].sort().map(([key, ids]) => [key, ids.size])));
      expect(counts.value).toBe(new Set(rows.filter((row) => row.country === "France" && row.customer_id !== null).map((row) => row.customer_id)).size);
    }
  });

  it("refuses a step or a day it cannot use, showing the value", () => {
    expect(() => customerCountsQuery({ranges: {value: march}, step: "year" as never})).toThrow('invalid step; not day, week or month: "year"');
    expect(() => customerCountsQuery({ranges: {value: {from: "2011-03-01", to: "31/03/2011"}}, step: "day"})).toThrow(
      'invalid value.to; not a YYYY-MM-DD day: "31/03/2011"'
    );
    expect(() => customerCountsQuery({ranges: {value: march, previous: {from: "x' OR TRUE --", to: "2011-02-28"}}, step: "day"})).toThrow(
      "invalid previous.from"
    );
  });
});

describe("customerLeadersQuery", () => {
  it("ranks the selection's customers, with shares of every customer's total, changes, countries and cancelled shares", async () => {
    const ranges = {value: march, previous: february};
    const board = customerLeaders(await ask(customerLeadersQuery({column: "net_revenue", ranges})), ranges);
    // Net in March: 101 90 + 30, 102 50, 103 40 (E has no customer): 210 in all.
    expect(board.leaders).toEqual([
      {key: "101", value: 120, share: 120 / 210, previous: 40, change: 120 / 40 - 1},
      {key: "102", value: 50, share: 50 / 210, previous: 25, change: 50 / 25 - 1},
      {key: "103", value: 40, share: 40 / 210, previous: 0, change: null}
    ]);
    expect(board.country).toEqual(
      new Map([
        ["101", "EIRE"],
        ["102", "France"],
        ["103", "United Kingdom"]
      ])
    );
    expect(board.cancelledShare).toEqual(
      new Map([
        ["101", 1 - 120 / 130],
        ["102", 0],
        ["103", 0.5]
      ])
    );
    // Gross, two shown, no comparison: 101 (130), then 103 (80).
    const gross = customerLeaders(await ask(customerLeadersQuery({column: "revenue", ranges: {value: march}, limit: 2})), {});
    expect(gross.leaders.map((leader) => [leader.key, leader.value, leader.share, leader.change])).toEqual([
      ["101", 130, 130 / 260, null],
      ["103", 80, 80 / 260, null]
    ]);
  });

  it("for All, compares the window with the period before, both inside the selection", async () => {
    const ranges = {
      value: {from: "2011-01-01", to: "2011-04-30"},
      window: {from: "2011-03-01", to: "2011-04-30"},
      previous: {from: "2011-01-01", to: "2011-02-28"}
    };
    const board = customerLeaders(await ask(customerLeadersQuery({column: "net_revenue", ranges})), ranges);
    expect(board.leaders.map((leader) => [leader.key, leader.value, leader.previous, leader.change])).toEqual([
      ["101", 160, 40, 120 / 40 - 1],
      ["104", 109, 99, 10 / 99 - 1],
      ["102", 75, 25, 50 / 25 - 1],
      ["103", 40, 0, null]
    ]);
    expect(board.leaders[0]!.share).toBe(160 / 384);
    expect(board.country.get("104")).toBe("Spain");
  });

  it("ranks a product's invoices from its lines, and refuses options it cannot use", async () => {
    const board = customerLeaders(
      await ask(customerLeadersQuery({column: "net_revenue", ranges: {value: march}, products: ["P1"], countries: ["United Kingdom"]})),
      {}
    );
    expect(board.leaders.map((leader) => [leader.key, leader.value])).toEqual([
      ["101", 60],
      ["103", 40]
    ]);
    expect(() => customerLeadersQuery({column: "units" as never, ranges: {value: march}})).toThrow('invalid column; not net_revenue or revenue: "units"');
    expect(() => customerLeadersQuery({column: "revenue", ranges: {value: march}, limit: 0})).toThrow("invalid limit; not a positive integer: 0");
  });
});

describe("ordersSource and weekdayHourQuery", () => {
  it("rebuilds a product's invoices from its lines only", async () => {
    const source = ordersSource({products: ["P2"], span: march});
    expect(
      await ask({text: `SELECT invoice_no, units::INTEGER AS units, revenue, net_revenue FROM (${source.text}) ORDER BY 1`, params: source.params})
    ).toEqual([
      {invoice_no: "A", units: 4, revenue: 40, net_revenue: 30},
      {invoice_no: "B", units: 5, revenue: 50, net_revenue: 50}
    ]);
  });

  it("sums the selection's orders by weekday (Monday 0) and hour", async () => {
    const rows = await ask(weekdayHourQuery({column: "revenue", span: {from: "2011-03-01", to: "2011-03-21"}}));
    expect(rows).toEqual([
      {weekday: 0, hour: 9, revenue: 80, orders: 1}, // D, Monday 21 March
      {weekday: 2, hour: 10, revenue: 100, orders: 1}, // A, Wednesday
      {weekday: 5, hour: 10, revenue: 50, orders: 1}, // B, Saturday
      {weekday: 6, hour: 15, revenue: 30, orders: 1} // C, Sunday
    ]);
    expect(await ask(weekdayHourQuery({column: "net_revenue", countries: ["France"], products: ["P2"]}))).toEqual([
      {weekday: 5, hour: 10, revenue: 50, orders: 1}
    ]);
    expect(() => weekdayHourQuery({column: "lines" as never})).toThrow('invalid column; not revenue or net_revenue: "lines"');
  });
});
