import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {cleanStage} from "../../loaders/stages/clean.js";
import {ingestStage} from "../../loaders/stages/ingest.js";
import {productMartsStage} from "../../loaders/stages/product-marts.js";
import {productTotalsQuery, type DayRange} from "../../src/components/product-totals.js";
import {salesWhere} from "../../src/components/sales-filter.js";
import {NO_FILTERS} from "../../src/components/url-state.js";
import {copyShipped, workspace} from "../helpers/fixtures.js";

/**
 * The Overview's product sums read whole months from the monthly product mart and the rest from the line
 * items: on real data (the first 100 shipped days, 2010-12-01 to 2011-03-…), they must equal the same sums
 * taken straight from the line items, for ranges that start and end mid-month, on the 1st, inside one month,
 * past the data, overlapping one another, and under country and product filters.
 */
const space = workspace();
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let extent: DayRange;

beforeAll(async () => {
  copyShipped(space, 100);
  await runPipeline(space.options, {stages: [ingestStage, cleanStage, productMartsStage]});
  instance = await DuckDBInstance.create(":memory:");
  connection = await instance.connect();
  for (const name of ["sales", "monthly_product_sales"]) {
    await connection.run(`CREATE VIEW ${name} AS FROM read_parquet('${join(space.warehouse, "snapshots", `${name}.parquet`)}')`);
  }
  [extent] = await queryRows<DayRange>(
    connection,
    "SELECT strftime(min(invoice_date), '%Y-%m-%d') AS from, strftime(max(invoice_date), '%Y-%m-%d') AS to FROM sales"
  );
}, 120_000);
afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
  space.dispose();
});

type Totals = Record<string, unknown>;

/** The same sums from `sales`, one FILTER per range, as the Overview computed them before the marts. */
async function fromLines(column: string, ranges: Record<string, DayRange | null>, where: {text: string; params: unknown[]}): Promise<Totals[]> {
  const within = (range: DayRange | null) => (range ? `invoice_date::DATE BETWEEN DATE '${range.from}' AND DATE '${range.to}'` : "FALSE");
  const names = Object.keys(ranges);
  const first = ranges[names[0]!]!;
  const sql = `SELECT stock_code, ${names.map((name) => `coalesce(sum(${column}) FILTER (WHERE ${within(ranges[name]!)}), 0) AS ${name}`).join(", ")},
      (sum(returned_quantity) FILTER (WHERE ${within(first)}))::DOUBLE / (sum(quantity) FILTER (WHERE ${within(first)}))::DOUBLE AS returned
    FROM sales WHERE ${where.text} GROUP BY ALL`;
  const rows = await queryRows<Totals>(connection, sql, where.params as never[]);
  return rounded(rows.filter((row) => names.some((name) => row[name] !== 0)));
}

async function fromMarts(column: "revenue" | "net_revenue", ranges: Record<string, DayRange | null>, where: {text: string; params: unknown[]}) {
  const {text, params} = productTotalsQuery({column, ranges, where, extent, limit: 1_000_000});
  const rows = await queryRows<Totals>(connection, text, params as never[]);
  return {rows, totals: rounded(rows.map(({total: _total, ...sums}) => sums))};
}

const rounded = (rows: Totals[]) =>
  rows
    .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === "number" ? Math.round(value * 1e6) / 1e6 : value])))
    .sort((a, b) => String(a.stock_code).localeCompare(String(b.stock_code)));

describe("product sums from the monthly product mart and the partial months' lines", () => {
  const cases: [string, Record<string, DayRange | null>][] = [
    [
      "the whole data, with a mid-month comparison",
      {value: {from: "2010-12-01", to: "2011-03-31"}, window: {from: "2011-01-15", to: "2011-02-14"}, previous: {from: "2010-12-15", to: "2011-01-14"}}
    ],
    [
      "ranges on month boundaries and inside one month",
      {value: {from: "2011-01-01", to: "2011-01-31"}, inside: {from: "2011-02-03", to: "2011-02-17"}, previous: {from: "2010-12-01", to: "2010-12-31"}}
    ],
    [
      "overlapping ranges, one past the data and one empty",
      {value: {from: "2011-02-10", to: "2012-06-30"}, overlap: {from: "2011-02-01", to: "2011-02-20"}, previous: null}
    ],
    ["a range before the data", {value: {from: "2010-12-05", to: "2011-01-09"}, before: {from: "2009-01-01", to: "2009-12-31"}}]
  ];
  it.each(cases)("equal the line items' sums: %s", async (_label, ranges) => {
    for (const column of ["revenue", "net_revenue"] as const) {
      const where = salesWhere(NO_FILTERS);
      expect((await fromMarts(column, ranges, where)).totals).toEqual(await fromLines(column, ranges, where));
    }
  });

  it("equal them under a country and a product filter", async () => {
    const where = salesWhere({...NO_FILTERS, countries: ["France", "Germany"], products: ["22423", "POST", "85123A", "21212"]});
    const ranges = cases[0]![1];
    const {totals} = await fromMarts("net_revenue", ranges, where);
    expect(totals.length).toBeGreaterThan(0);
    expect(totals).toEqual(await fromLines("net_revenue", ranges, where));
  });

  it("lists the largest first, with the total of every product", async () => {
    const ranges = {value: extent, previous: null};
    const {text, params} = productTotalsQuery({column: "revenue", ranges, extent, limit: 3});
    const top = await queryRows<Totals>(connection, text, params as never[]);
    const [{total}] = await queryRows<{total: number}>(connection, "SELECT sum(revenue) AS total FROM sales");
    const lines = await fromLines("revenue", ranges, salesWhere(NO_FILTERS));
    const expected = lines.sort((a, b) => (b.value as number) - (a.value as number)).slice(0, 3);
    expect(top.map((row) => row.stock_code)).toEqual(expected.map((row) => row.stock_code));
    expect(top[0]!.total).toBeCloseTo(total, 6);
  });

  it("reads the whole months from the monthly mart and only the partial months' lines", () => {
    const {text} = productTotalsQuery({column: "revenue", ranges: {value: {from: "2010-12-10", to: "2011-03-05"}}, extent});
    expect(text).toContain("FROM monthly_product_sales WHERE (TRUE) AND month BETWEEN DATE '2011-01-01' AND DATE '2011-02-01'");
    expect(text).toContain("FROM sales WHERE (TRUE) AND invoice_date >= TIMESTAMP '2010-12-10' AND invoice_date < TIMESTAMP '2011-01-01'");
    expect(text).toContain("FROM sales WHERE (TRUE) AND invoice_date >= TIMESTAMP '2011-03-01' AND invoice_date < TIMESTAMP '2011-03-06'");
    expect(text.match(/FROM sales/g)).toHaveLength(2);
  });
});
