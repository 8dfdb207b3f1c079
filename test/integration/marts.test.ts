import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {csv, HEADER, workspace} from "../helpers/fixtures.js";

/**
 * A hand-made month of trading whose every mart value can be worked out on paper:
 *   1001 (cust 1, UK, Mon 3 Jan 2011): 22423 2 × 3.00 = 6.00, 85123a (upper-cased) 1 × 5.00 = 5.00, and an
 *        exact duplicate of the first line
 *   1002 (cust 2, France, Mon 10 Jan): 22423 4 × 3.00 = 12.00, 2 units cancelled by C1003 (11 Jan) → net 6.00
 *   1004 (cust 1): POST 1 × 10.00 → not a product;  1005: 22423 1 × 0.00 → zero price
 *   1006 (no customer, UK, Tue 1 Feb 2011, the last day: partial): 22423 3 × 3.00 = 9.00
 */
const space = workspace();
beforeAll(async () => {
  space.write(
    "2011-01.csv",
    csv(
      HEADER,
      "1001,22423,MUG,2,2011-01-03 10:00:00,3.00,1,United Kingdom",
      "1001,85123a,PLATE,1,2011-01-03 10:00:00,5.00,1,United Kingdom",
      "1001,22423,MUG,2,2011-01-03 10:00:00,3.00,1,United Kingdom",
      "1002,22423,MUG,4,2011-01-10 11:00:00,3.00,2,France",
      "C1003,22423,MUG,-2,2011-01-11 09:30:00,3.00,2,France",
      "1004,POST,POSTAGE,1,2011-01-12 12:00:00,10.00,1,United Kingdom",
      "1005,22423,MUG,1,2011-01-13 12:00:00,0,1,United Kingdom"
    )
  );
  space.write("2011-02.csv", csv(HEADER, "1006,22423,MUG,3,2011-02-01 09:00:00,3.00,,United Kingdom"));
  await runPipeline(space.options);
});
afterAll(() => space.dispose());

describe("marts on a hand-checked fixture", () => {
  it("splits lines into sales, returns and excluded lines with reasons", async () => {
    const sales = await readSnapshot(space.warehouse, "sales", "SELECT invoice_no, stock_code, quantity, revenue, returned_quantity, net_revenue FROM t");
    expect(sales).toEqual([
      {invoice_no: "1001", stock_code: "22423", quantity: 2, revenue: 6, returned_quantity: 0, net_revenue: 6},
      {invoice_no: "1001", stock_code: "85123A", quantity: 1, revenue: 5, returned_quantity: 0, net_revenue: 5},
      {invoice_no: "1002", stock_code: "22423", quantity: 4, revenue: 12, returned_quantity: 2, net_revenue: 6},
      {invoice_no: "1006", stock_code: "22423", quantity: 3, revenue: 9, returned_quantity: 0, net_revenue: 9}
    ]);
    expect(
      await readSnapshot(space.warehouse, "returns", "SELECT invoice_no, quantity, value, is_product, matched_quantity, unmatched_quantity FROM t")
    ).toEqual([{invoice_no: "C1003", quantity: 2, value: 6, is_product: true, matched_quantity: 2, unmatched_quantity: 0}]);
    expect(await readSnapshot(space.warehouse, "excluded_lines", "SELECT source_line, reason, detail FROM t")).toEqual([
      {source_line: 4, reason: "duplicate", detail: "exact copy of 2011-01.csv line 2"},
      {source_line: 7, reason: "non_product", detail: "POST (POSTAGE) is a fee, postage or adjustment, not a product"},
      {source_line: 8, reason: "zero_price", detail: "unit price is 0"}
    ]);
  });

  it("aggregates orders, periods and countries, flagging periods the data does not wholly cover", async () => {
    // January is partial because the data starts on the 3rd; February because it ends on the 1st.
    expect(await readSnapshot(space.warehouse, "orders", "SELECT invoice_no, customer_id, lines, units, revenue, returned_units, net_revenue FROM t")).toEqual([
      {invoice_no: "1001", customer_id: 1, lines: 2, units: 3, revenue: 11, returned_units: 0, net_revenue: 11},
      {invoice_no: "1002", customer_id: 2, lines: 1, units: 4, revenue: 12, returned_units: 2, net_revenue: 6},
      {invoice_no: "1006", customer_id: null, lines: 1, units: 3, revenue: 9, returned_units: 0, net_revenue: 9}
    ]);
    expect(
      await readSnapshot(
        space.warehouse,
        "monthly_sales",
        "SELECT strftime(month, '%Y-%m') AS month, country, orders, customers, revenue, net_revenue, returns_value, days_covered, is_partial FROM t"
      )
    ).toEqual([
      {month: "2011-01", country: "France", orders: 1, customers: 1, revenue: 12, net_revenue: 6, returns_value: 6, days_covered: 29, is_partial: true},
      {
        month: "2011-01",
        country: "United Kingdom",
        orders: 1,
        customers: 1,
        revenue: 11,
        net_revenue: 11,
        returns_value: 0,
        days_covered: 29,
        is_partial: true
      },
      {month: "2011-02", country: "United Kingdom", orders: 1, customers: 0, revenue: 9, net_revenue: 9, returns_value: 0, days_covered: 1, is_partial: true}
    ]);
    // The first week starts before the data does (Mon 3 Jan is day one, so it is complete); the last is partial.
    expect(
      await readSnapshot(
        space.warehouse,
        "weekly_sales",
        "SELECT strftime(week_start, '%Y-%m-%d') AS week, sum(revenue) AS revenue, bool_or(is_partial) AS partial FROM t GROUP BY ALL ORDER BY week"
      )
    ).toEqual([
      {week: "2011-01-03", revenue: 11, partial: false},
      {week: "2011-01-10", revenue: 12, partial: false},
      {week: "2011-01-31", revenue: 9, partial: true}
    ]);
    expect(await readSnapshot(space.warehouse, "daily_sales", "SELECT strftime(date, '%Y-%m-%d') AS day, returns_value, is_partial FROM t")).toEqual([
      {day: "2011-01-03", returns_value: 0, is_partial: false},
      {day: "2011-01-10", returns_value: 0, is_partial: false},
      {day: "2011-01-11", returns_value: 6, is_partial: false},
      {day: "2011-02-01", returns_value: 0, is_partial: true}
    ]);
    expect(await readSnapshot(space.warehouse, "country_sales", "SELECT country, orders, revenue, net_revenue, avg_order_value, revenue_share FROM t")).toEqual(
      [
        {country: "United Kingdom", orders: 2, revenue: 20, net_revenue: 20, avg_order_value: 10, revenue_share: 20 / 32},
        {country: "France", orders: 1, revenue: 12, net_revenue: 6, avg_order_value: 12, revenue_share: 12 / 32}
      ]
    );
  });

  it("summarises products and customers, recency counted from the day after the data ends", async () => {
    expect(
      await readSnapshot(
        space.warehouse,
        "product_performance",
        "SELECT stock_code, description, units, net_units, revenue, net_revenue, orders, customers, return_rate, revenue_rank FROM t"
      )
    ).toEqual([
      {
        stock_code: "22423",
        description: "MUG",
        units: 9,
        net_units: 7,
        revenue: 27,
        net_revenue: 21,
        orders: 3,
        customers: 2,
        return_rate: 2 / 9,
        revenue_rank: 1
      },
      {stock_code: "85123A", description: "PLATE", units: 1, net_units: 1, revenue: 5, net_revenue: 5, orders: 1, customers: 1, return_rate: 0, revenue_rank: 2}
    ]);
    expect(
      await readSnapshot(
        space.warehouse,
        "customer_metrics",
        "SELECT customer_id, country, recency_days, frequency, monetary, revenue, returns_value, tenure_days FROM t"
      )
    ).toEqual([
      {customer_id: 1, country: "United Kingdom", recency_days: 30, frequency: 1, monetary: 11, revenue: 11, returns_value: 0, tenure_days: 30},
      {customer_id: 2, country: "France", recency_days: 23, frequency: 1, monetary: 6, revenue: 12, returns_value: 6, tenure_days: 23}
    ]);
  });

  it("sums each product's lines by month and country", async () => {
    expect(
      await readSnapshot(
        space.warehouse,
        "monthly_product_sales",
        "SELECT strftime(month, '%Y-%m') AS month, country, stock_code, lines, units, returned_units, revenue, net_revenue FROM t"
      )
    ).toEqual([
      {month: "2011-01", country: "France", stock_code: "22423", lines: 1, units: 4, returned_units: 2, revenue: 12, net_revenue: 6},
      {month: "2011-01", country: "United Kingdom", stock_code: "22423", lines: 1, units: 2, returned_units: 0, revenue: 6, net_revenue: 6},
      {month: "2011-01", country: "United Kingdom", stock_code: "85123A", lines: 1, units: 1, returned_units: 0, revenue: 5, net_revenue: 5},
      {month: "2011-02", country: "United Kingdom", stock_code: "22423", lines: 1, units: 3, returned_units: 0, revenue: 9, net_revenue: 9}
    ]);
  });

  it("passes every error-severity data-quality check", async () => {
    expect(await readSnapshot(space.warehouse, "data_quality", `SELECT "check" FROM t WHERE severity = 'error' AND status <> 'pass'`)).toEqual([]);
  });
});
