/**
 * The Customer page's orders and line items: the days of a customer's orders as ranges, and the queries
 * that read only those days of `orders` and `sales`, run on real DuckDB over hand-made tables with the
 * answers worked out by hand.
 */
import type {DuckDBValue} from "@duckdb/node-api";
import {tableFromArrays} from "apache-arrow";
import {beforeAll, describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {customerLinesQuery, customerOrdersQuery, daySpan, linesComplete, orderDays} from "../../src/components/customer-lines.js";
import {pipelineConnection} from "../helpers/duckdb.js";

const connection = pipelineConnection();
const ask = (query: {text: string; params: unknown[]}) => queryRows(connection(), query.text, query.params as DuckDBValue[]);
const at = (text: string) => new Date(`${text}Z`);

describe("orderDays", () => {
  it("merges consecutive days, across a month's end, and keeps each day once", () => {
    const times = ["2011-03-31T09:00:00", "2011-04-01T23:59:59", "2011-03-31T17:00:00", "2011-04-03T00:00:00", "2011-02-28T12:00:00"].map(at);
    expect(orderDays(times)).toEqual([
      {from: "2011-02-28", to: "2011-02-28"},
      {from: "2011-03-31", to: "2011-04-01"},
      {from: "2011-04-03", to: "2011-04-03"}
    ]);
    expect(orderDays([])).toEqual([]);
    expect(orderDays([at("2011-03-02T10:00:00").getTime()])).toEqual([{from: "2011-03-02", to: "2011-03-02"}]);
  });

  it("closes the shortest gaps when there are more ranges than allowed, never losing a day", () => {
    // Days 1, 3, 10, 11, 20: ranges [1], [3], [10–11], [20] with gaps 2, 7, 9.
    const times = ["01", "03", "10", "11", "20"].map((day) => at(`2011-05-${day}T12:00:00`));
    expect(orderDays(times, {maxRanges: 3})).toEqual([
      {from: "2011-05-01", to: "2011-05-03"},
      {from: "2011-05-10", to: "2011-05-11"},
      {from: "2011-05-20", to: "2011-05-20"}
    ]);
    expect(orderDays(times, {maxRanges: 2})).toEqual([
      {from: "2011-05-01", to: "2011-05-11"},
      {from: "2011-05-20", to: "2011-05-20"}
    ]);
    expect(orderDays(times, {maxRanges: 1})).toEqual([{from: "2011-05-01", to: "2011-05-20"}]);
    // Equal gaps (2 and 2): the earlier one is closed first.
    expect(
      orderDays(
        ["01", "03", "05"].map((day) => at(`2011-05-${day}T12:00:00`)),
        {maxRanges: 2}
      )
    ).toEqual([
      {from: "2011-05-01", to: "2011-05-03"},
      {from: "2011-05-05", to: "2011-05-05"}
    ]);
  });

  it("refuses bad options and times, showing the value", () => {
    expect(() => orderDays([], {maxRanges: 0})).toThrow("invalid maxRanges; not a positive integer: 0");
    expect(() => orderDays([new Date(Number.NaN)])).toThrow("invalid order time; not a date: Invalid Date");
  });

  it("gives the span of two times as one range", () => {
    expect(daySpan(at("2011-01-10T13:00:00"), at("2011-04-01T14:00:00"))).toEqual({from: "2011-01-10", to: "2011-04-01"});
  });
});

describe("customerOrdersQuery and customerLinesQuery", () => {
  beforeAll(async () => {
    // Customer 7 bought on 2 March (invoice A, two lines), 3 March (B) and 10 March late at night (C);
    // customer 8 on 3 March (D). Lines are numbered in file order.
    await connection().run(`CREATE TABLE sales AS SELECT * FROM (VALUES
      ('d1.csv', 2, 'A', TIMESTAMP '2011-03-02 10:15:00', 7, 'P1', 'Mug', 6, 1.5, 9.0, 0, 9.0),
      ('d1.csv', 1, 'A', TIMESTAMP '2011-03-02 10:15:00', 7, 'P2', 'Jug', 4, 2.0, 8.0, 1, 6.0),
      ('d2.csv', 1, 'B', TIMESTAMP '2011-03-03 08:00:00', 7, 'P1', 'Mug', 2, 1.5, 3.0, 0, 3.0),
      ('d2.csv', 2, 'D', TIMESTAMP '2011-03-03 09:00:00', 8, 'P2', 'Jug', 5, 2.0, 10.0, 0, 10.0),
      ('d9.csv', 1, 'C', TIMESTAMP '2011-03-10 23:59:00', 7, 'P3', 'Tin', 1, 4.0, 4.0, 0, 4.0)
    ) AS t(source_file, source_line, invoice_no, invoice_date, customer_id, stock_code, description, quantity, unit_price, revenue, returned_quantity, net_revenue)`);
    await connection().run(`CREATE TABLE orders AS SELECT invoice_no, min(invoice_date) AS invoice_date, min(customer_id) AS customer_id,
      count(*) AS lines, sum(quantity) AS units, sum(revenue) AS revenue, sum(returned_quantity) AS returned_units, sum(net_revenue) AS net_revenue
      FROM sales GROUP BY invoice_no`);
    // And a year of another customer's lines, a minute apart: enough rows for DuckDB to plan a real scan.
    await connection().run(`INSERT INTO sales SELECT 'big.csv', i, 'Z' || (i // 3), TIMESTAMP '2011-01-01' + to_minutes(i), 9, 'P9', 'Box', 1, 1.0, 1.0, 0, 1.0
      FROM range(400000) AS t(i)`);
  });

  it("asks for one customer's orders within a span, by date", async () => {
    const orders = await ask(customerOrdersQuery(7, {from: "2011-03-02", to: "2011-03-10"}));
    expect(orders.map((order) => [order.invoice_no, order.lines, order.units, order.returned_units, order.net_revenue])).toEqual([
      ["A", 2, 10, 1, 15],
      ["B", 1, 2, 0, 3],
      ["C", 1, 1, 0, 4]
    ]);
    // The span's last day is whole: C at 23:59 is in; a span that ends the day before leaves it out.
    expect((await ask(customerOrdersQuery(7, {from: "2011-03-02", to: "2011-03-09"}))).map((order) => order.invoice_no)).toEqual(["A", "B"]);
    expect((await ask(customerOrdersQuery(7, null))).length).toBe(3);
  });

  it("asks for one customer's lines within their days, in date and file order", async () => {
    const days = orderDays([at("2011-03-02T10:15:00"), at("2011-03-03T08:00:00"), at("2011-03-10T23:59:00")]);
    expect(days).toEqual([
      {from: "2011-03-02", to: "2011-03-03"},
      {from: "2011-03-10", to: "2011-03-10"}
    ]);
    const lines = await ask(customerLinesQuery(7, days));
    expect(lines.map((line) => [line.invoice_no, line.stock_code, line.quantity])).toEqual([
      ["A", "P2", 4], // d1.csv line 1 before line 2 of the same invoice
      ["A", "P1", 6],
      ["B", "P1", 2],
      ["C", "P3", 1]
    ]);
    expect(Object.keys(lines[0]!)).toEqual([
      "invoice_date",
      "invoice_no",
      "stock_code",
      "description",
      "quantity",
      "unit_price",
      "revenue",
      "returned_quantity",
      "net_revenue"
    ]);
    expect(await ask(customerLinesQuery(7, null))).toEqual(lines);
    // Days that miss one: its lines are not read.
    expect((await ask(customerLinesQuery(7, [{from: "2011-03-10", to: "2011-03-10"}]))).map((line) => line.invoice_no)).toEqual(["C"]);
    expect(await ask(customerLinesQuery(7, []))).toEqual([]);
  });

  it("scans the table once per range of days, each with its range in the scan's own filters, so that the blocks outside them are skipped", async () => {
    const query = customerLinesQuery(9, [
      {from: "2011-03-02", to: "2011-03-03"},
      {from: "2011-03-10", to: "2011-03-10"}
    ]);
    const [plan] = await ask({text: `EXPLAIN (FORMAT json) ${query.text}`, params: query.params});
    interface Operator {
      name: string;
      children: Operator[];
      extra_info: {Filters?: string[] | string};
    }
    const scans: Operator[] = [];
    const visit = (operator: Operator) => {
      if (/SCAN/.test(operator.name)) scans.push(operator);
      else if (operator.name === "FILTER") throw new Error(`a filter above the scan: ${JSON.stringify(operator.extra_info)}`);
      operator.children.forEach(visit);
    };
    (JSON.parse(String(plan!.explain_value)) as Operator[]).forEach(visit);
    // Two scans, one per range, each filtering on the customer and a plain range of its own: no OR, which
    // DuckDB-WASM does not skip blocks by.
    expect(scans.map((scan) => [scan.extra_info.Filters].flat())).toEqual([
      ["customer_id=9", "invoice_date>='2011-03-02 00:00:00'::TIMESTAMP AND invoice_date<'2011-03-04 00:00:00'::TIMESTAMP"],
      ["customer_id=9", "invoice_date>='2011-03-10 00:00:00'::TIMESTAMP AND invoice_date<'2011-03-11 00:00:00'::TIMESTAMP"]
    ]);
    // Three days of a minute apart.
    expect((await ask(query)).length).toBe(3 * 1440);
  });

  it("refuses a customer id that is not an integer, and a bad day", () => {
    expect(() => customerLinesQuery(1.5, null)).toThrow("invalid customer id; not an integer: 1.5");
    expect(() => customerOrdersQuery(Number.NaN, null)).toThrow("invalid customer id; not an integer: NaN");
    expect(() =>
      customerLinesQuery(7, [
        {from: "2011-03-01", to: "2011-03-01"},
        {from: "2011-3-2", to: "2011-03-03"}
      ])
    ).toThrow('invalid days[1].from; not a YYYY-MM-DD day: "2011-3-2"');
    expect(() => customerOrdersQuery(7, {from: "2011-03-01", to: "March"})).toThrow('invalid span.to; not a YYYY-MM-DD day: "March"');
  });
});

describe("linesComplete", () => {
  it("holds when the lines' units add up to the customer's", () => {
    const lines = tableFromArrays({quantity: Int32Array.from([4, 6, 2, 1])});
    expect(linesComplete(lines, 13)).toBe(true);
    expect(linesComplete(lines, 14)).toBe(false);
    expect(linesComplete(tableFromArrays({quantity: Int32Array.from([])}), 0)).toBe(true);
    expect(linesComplete(tableFromArrays({units: Int32Array.from([13])}), 13)).toBe(false);
  });
});
