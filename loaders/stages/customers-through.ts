import type {DuckDBConnection} from "@duckdb/node-api";
import {literal} from "../db.js";
import {matchReturns, type Cancellation, type Purchase} from "../transform/match-returns.js";
import {money, sumMoney} from "../transform/money.js";
import {numbers, readColumns, strings, writeColumns} from "../run/table-io.js";

/** Every identified customer's recency, frequency and monetary value as of a day, ordered by customer_id. */
export interface CustomersThrough {
  customer_id: Float64Array;
  recency_days: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
}

let calls = 0;

/**
 * `customer_metrics`' recency_days, frequency and monetary as they were at the end of `through`
 * (YYYY-MM-DD), from `sales` and `returns` dated on or before it: recency from the day after `through`,
 * frequency in distinct invoices, monetary net of the cancellations dated on or before it. `sales.net_revenue`
 * nets every cancellation, later ones too, so the matching of cancellations to purchases is replayed on the
 * lines through that day where a later cancellation netted one (the same rule as the clean stage: time order,
 * most recent purchase first; in time order, the matching of the lines through a day is the full matching
 * restricted to them). So when `through` is
 * the last day of the data the result equals customer_metrics (which counts recency from the day after the
 * last sale or return; the fit window ends on the last sale).
 */
export async function customersThrough(connection: DuckDBConnection, through: string): Promise<CustomersThrough> {
  // writeColumns makes a table every connection sees, and two stages may call this at once.
  const matchedTable = `through_matched_${++calls}`;
  const day = `DATE ${literal(through)}`;
  // Only a (customer, product) with a cancellation after the day that matched something can have a purchase
  // through the day netted by a later cancellation; the matching is replayed for those alone.
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE through_pairs AS
    SELECT DISTINCT customer_id, stock_code FROM returns
    WHERE customer_id IS NOT NULL AND is_product AND matched_quantity > 0 AND invoice_date::DATE > ${day};
    CREATE OR REPLACE TEMP TABLE through_purchases AS
    SELECT (row_number() OVER (ORDER BY source_file, source_line) - 1)::DOUBLE AS id, customer_id, stock_code, invoice_no, invoice_date, quantity, unit_price
    FROM sales SEMI JOIN through_pairs USING (customer_id, stock_code) WHERE invoice_date::DATE <= ${day};`);
  const purchases = await readColumns(
    connection,
    `SELECT id, customer_id::DOUBLE AS customer_id, stock_code, epoch_ms(invoice_date)::DOUBLE AS time, quantity::DOUBLE AS quantity FROM through_purchases ORDER BY id`
  );
  const cancellations = await readColumns(
    connection,
    `SELECT (row_number() OVER (ORDER BY source_file, source_line) - 1)::DOUBLE AS id, customer_id::DOUBLE AS customer_id, stock_code,
       epoch_ms(invoice_date)::DOUBLE AS time, quantity::DOUBLE AS quantity
     FROM returns SEMI JOIN through_pairs USING (customer_id, stock_code) WHERE is_product AND invoice_date::DATE <= ${day} ORDER BY id`
  );
  const matches = matchReturns(rowsOf(purchases), rowsOf(cancellations));
  await writeColumns(connection, matchedTable, [
    ["id", "DOUBLE", Float64Array.from(matches, (match) => match.purchase)],
    ["matched", "DOUBLE", Float64Array.from(matches, (match) => match.quantity)]
  ]);
  const result = await readColumns(
    connection,
    `WITH matched AS (SELECT id, sum(matched)::INTEGER AS matched FROM ${matchedTable} GROUP BY id),
     lines AS (
       SELECT customer_id, invoice_no, invoice_date, net_revenue FROM sales
       ANTI JOIN through_pairs USING (customer_id, stock_code) WHERE customer_id IS NOT NULL AND invoice_date::DATE <= ${day}
       UNION ALL
       SELECT customer_id, invoice_no, invoice_date, CAST((quantity - coalesce(matched, 0)) * ${money("unit_price")} AS DOUBLE)
       FROM through_purchases LEFT JOIN matched USING (id))
     SELECT customer_id::DOUBLE AS customer_id, (${day} + 1 - max(invoice_date)::DATE)::DOUBLE AS recency_days,
       count(DISTINCT invoice_no)::DOUBLE AS frequency, ${sumMoney("net_revenue")} AS monetary
     FROM lines GROUP BY customer_id ORDER BY customer_id`
  );
  await connection.run(`DROP TABLE through_pairs; DROP TABLE through_purchases; DROP TABLE ${matchedTable};`);
  return {
    customer_id: numbers(result, "customer_id"),
    recency_days: numbers(result, "recency_days"),
    frequency: numbers(result, "frequency"),
    monetary: numbers(result, "monetary")
  };
}

function rowsOf(columns: Awaited<ReturnType<typeof readColumns>>): (Purchase & Cancellation)[] {
  const id = numbers(columns, "id");
  const customer = numbers(columns, "customer_id");
  const product = strings(columns, "stock_code");
  const time = numbers(columns, "time");
  const quantity = numbers(columns, "quantity");
  return Array.from(id, (value, i) => ({id: value, customer: customer[i], product: product[i]!, time: time[i], quantity: quantity[i]}));
}
