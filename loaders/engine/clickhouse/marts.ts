import type {StageContext} from "../../run/stage.js";
import type {MartsSummary, ProductMartsSummary} from "../engine.js";
import {connect, exportToView} from "./connect.js";
import {ensureSchema} from "./schema.js";
import {chString} from "./sql.js";
import {queryRow} from "../../db.js";

/** A line's money in exact decimals (unit_price is a Decimal on the cluster). */
const lineMoney = (price: string, quantity: string) => `${price} * ${quantity}`;

const formatTime = (column: string) => `formatDateTime(${column}, '%Y-%m-%d %H:%M:%S')`;

/**
 * Ratios of money, computed as the rows come back: money leaves the cluster as exact decimals (ClickHouse's
 * Decimal to Float64 conversion is not correctly rounded), so a ratio of two doubles is taken in DuckDB,
 * exactly as the DuckDB engine takes it. The rank is numbered there too (no window functions in 18.16).
 */
const RATIOS = {
  country: {
    replace: "REPLACE (revenue / orders AS avg_order_value, revenue / CAST(sum(CAST(revenue AS DECIMAL(18, 4))) OVER () AS DOUBLE) AS revenue_share)",
    orderBy: "revenue DESC, country"
  },
  product: {
    replace: "REPLACE (revenue / units AS avg_unit_price, row_number() OVER (ORDER BY net_revenue DESC, stock_code) AS revenue_rank)",
    orderBy: "revenue_rank"
  },
  customer: {replace: "REPLACE (revenue / frequency AS avg_order_value)"}
};

/**
 * The marts, computed by the cluster from its `sales` and `returns` (the same definitions as the DuckDB
 * engine's `marts-sql.ts`), brought back as the run's tables. Without window functions in ClickHouse
 * 18.16: most-frequent values come from sorted arrays, full outer joins from a union of both sides
 * grouped by key, and the one rank (product revenue) is numbered as the rows come back.
 */
export async function marts(context: StageContext): Promise<MartsSummary> {
  const cluster = await connect(context.options);
  try {
    await ensureSchema(cluster);
    const db = cluster.database;
    const [coverage] = await cluster.node(0).rows<{first_day: string; last_day: string}>(`
      SELECT toString(min(day)) AS first_day, toString(max(day)) AS last_day
      FROM (SELECT toDate(invoice_date) AS day FROM ${db}.sales UNION ALL SELECT toDate(invoice_date) AS day FROM ${db}.returns)`);
    const first = `toDate(${chString(coverage.first_day)})`;
    const last = `toDate(${chString(coverage.last_day)})`;
    const completeThrough = `addDays(${last}, -1)`;
    const referenceDay = `addDays(${last}, 1)`;

    const orders = `(
      SELECT invoice_no, first_time AS invoice_date, first_customer AS customer_id, first_country AS country, lines, units, revenue,
        returned_units, net_revenue
      FROM (
        SELECT invoice_no, min(invoice_date) AS first_time, min(customer_id) AS first_customer, min(country) AS first_country, count() AS lines,
          sum(quantity) AS units, sum(${lineMoney("unit_price", "quantity")}) AS revenue, sum(returned_quantity) AS returned_units,
          sum(${lineMoney("unit_price", "(quantity - returned_quantity)")}) AS net_revenue
        FROM ${db}.sales GROUP BY invoice_no))`;
    const periodMeasures = (period: string) => `(
      SELECT period, country, sum(orders) AS orders, sum(customers) AS customers, sum(units) AS units, sum(revenue) AS revenue,
        sum(net_revenue) AS net_revenue, sum(returns_value) AS returns_value, sum(lines) AS lines
      FROM (
        SELECT ${period} AS period, country, count() AS orders, ifNull(uniqExact(customer_id), 0) AS customers, sum(units) AS units, sum(lines) AS lines,
          sum(revenue) AS revenue, sum(net_revenue) AS net_revenue, toDecimal128(0, 4) AS returns_value
        FROM ${orders} GROUP BY period, country
        UNION ALL
        SELECT ${period} AS period, country, 0 AS orders, 0 AS customers, 0 AS units, 0 AS lines, toDecimal128(0, 4) AS revenue,
          toDecimal128(0, 4) AS net_revenue, sum(${lineMoney("unit_price", "quantity")}) AS returns_value
        FROM ${db}.returns WHERE is_product GROUP BY period, country)
      GROUP BY period, country)`;
    const measures = "orders, customers, units, revenue, net_revenue, returns_value";

    await exportToView(
      context,
      cluster,
      "orders",
      `
      SELECT invoice_no, ${formatTime("invoice_date")} AS invoice_date, customer_id, country, lines, units, revenue, returned_units, net_revenue
      FROM ${orders} ORDER BY invoice_date, invoice_no`
    );
    await exportToView(
      context,
      cluster,
      "daily_sales",
      `
      SELECT toString(period) AS date, country, ${measures}, lines, if(period = ${last}, 'true', 'false') AS is_partial
      FROM ${periodMeasures("toDate(invoice_date)")} ORDER BY date, country`
    );
    await exportToView(
      context,
      cluster,
      "weekly_sales",
      `
      SELECT toString(period) AS week_start, country, ${measures},
        dateDiff('day', greatest(period, ${first}), least(addDays(period, 6), ${last})) + 1 AS days_covered,
        if(period < ${first} OR addDays(period, 6) > ${completeThrough}, 'true', 'false') AS is_partial
      FROM ${periodMeasures("toMonday(toDate(invoice_date))")} ORDER BY week_start, country`
    );
    const monthEnd = "addDays(toStartOfMonth(addMonths(period, 1)), -1)";
    await exportToView(
      context,
      cluster,
      "monthly_sales",
      `
      SELECT toString(period) AS month, country, ${measures},
        dateDiff('day', greatest(period, ${first}), least(${monthEnd}, ${last})) + 1 AS days_covered,
        toDayOfMonth(${monthEnd}) AS days_in_month,
        if(period < ${first} OR ${monthEnd} > ${completeThrough}, 'true', 'false') AS is_partial
      FROM ${periodMeasures("toStartOfMonth(toDate(invoice_date))")} ORDER BY month, country`
    );
    await exportToView(
      context,
      cluster,
      "country_sales",
      `
      SELECT country, orders, customers, lines, units, revenue, net_revenue, ifNull(returns_value, toDecimal128(0, 4)) AS returns_value,
        0 AS avg_order_value, 0 AS revenue_share, ${formatTime("first_order")} AS first_order, ${formatTime("last_order")} AS last_order
      FROM (
        SELECT country, count() AS orders, ifNull(uniqExact(customer_id), 0) AS customers, sum(lines) AS lines, sum(units) AS units,
          sum(revenue) AS revenue, sum(net_revenue) AS net_revenue, min(invoice_date) AS first_order, max(invoice_date) AS last_order
        FROM ${orders} GROUP BY country)
      ANY LEFT JOIN (
        SELECT country, sum(${lineMoney("unit_price", "quantity")}) AS returns_value FROM ${db}.returns WHERE is_product GROUP BY country
      ) USING (country)
      ORDER BY revenue DESC, country`,
      RATIOS.country
    );
    await exportToView(
      context,
      cluster,
      "product_performance",
      `SELECT stock_code, description, units, net_units, revenue, net_revenue, orders,
        customers, countries, 0 AS avg_unit_price, returned_units, returned_units / units AS return_rate,
        ${formatTime("first_sold")} AS first_sold, ${formatTime("last_sold")} AS last_sold, 0 AS revenue_rank
      FROM (
        SELECT stock_code, sum(quantity) AS units, sum(quantity - returned_quantity) AS net_units,
          sum(${lineMoney("unit_price", "quantity")}) AS revenue, sum(${lineMoney("unit_price", "(quantity - returned_quantity)")}) AS net_revenue,
          uniqExact(invoice_no) AS orders, ifNull(uniqExact(customer_id), 0) AS customers, uniqExact(country) AS countries,
          sum(returned_quantity) AS returned_units, min(invoice_date) AS first_sold, max(invoice_date) AS last_sold
        FROM ${db}.sales GROUP BY stock_code)
      ANY LEFT JOIN (
        SELECT stock_code, tupleElement(arraySort(x -> (-tupleElement(x, 2), tupleElement(x, 1)), groupArray((text, n)))[1], 1) AS description
        FROM (SELECT stock_code, assumeNotNull(description) AS text, count() AS n FROM ${db}.sales
              WHERE description IS NOT NULL GROUP BY stock_code, text)
        GROUP BY stock_code
      ) USING (stock_code)
      ORDER BY net_revenue DESC, stock_code`,
      RATIOS.product
    );
    await exportToView(
      context,
      cluster,
      "customer_metrics",
      `
      SELECT customer AS customer_id, country, ${formatTime("first_purchase")} AS first_purchase, ${formatTime("last_purchase")} AS last_purchase,
        dateDiff('day', toDate(last_purchase), ${referenceDay}) AS recency_days, frequency, monetary,
        revenue, ifNull(returns_value, toDecimal128(0, 4)) AS returns_value, units, 0 AS avg_order_value, distinct_products,
        dateDiff('day', toDate(first_purchase), ${referenceDay}) AS tenure_days
      FROM (
        SELECT * FROM (
          SELECT assumeNotNull(customer_id) AS customer, min(invoice_date) AS first_purchase, max(invoice_date) AS last_purchase,
            uniqExact(invoice_no) AS frequency, sum(${lineMoney("unit_price", "(quantity - returned_quantity)")}) AS monetary,
            sum(${lineMoney("unit_price", "quantity")}) AS revenue, sum(quantity) AS units, uniqExact(stock_code) AS distinct_products
          FROM ${db}.sales WHERE customer_id IS NOT NULL GROUP BY customer)
        ANY LEFT JOIN (
          SELECT customer, tupleElement(arraySort(x -> (-tupleElement(x, 2), tupleElement(x, 1)), groupArray((country, n)))[1], 1) AS country
          FROM (SELECT assumeNotNull(customer_id) AS customer, country, count() AS n FROM ${db}.sales WHERE customer_id IS NOT NULL GROUP BY customer, country)
          GROUP BY customer
        ) USING (customer))
      ANY LEFT JOIN (
        SELECT assumeNotNull(customer_id) AS customer, sum(${lineMoney("unit_price", "quantity")}) AS returns_value
        FROM ${db}.returns WHERE is_product AND customer_id IS NOT NULL GROUP BY customer
      ) USING (customer)
      ORDER BY customer`,
      RATIOS.customer
    );
    const [counts] = await cluster.node(0).rows<Record<string, string>>(`
      SELECT (SELECT count() FROM ${db}.sales) AS sales, (SELECT uniqExact(invoice_no) FROM ${db}.sales) AS orders,
        (SELECT uniqExact(customer_id) FROM ${db}.sales) AS customers, (SELECT uniqExact(stock_code) FROM ${db}.sales) AS products`);
    return {sales: Number(counts.sales), orders: Number(counts.orders), customers: Number(counts.customers), products: Number(counts.products)};
  } finally {
    await cluster.close();
  }
}

/** The product mart on the cluster: each product's sold lines summed by month and country. */
export async function productMarts(context: StageContext): Promise<ProductMartsSummary> {
  const cluster = await connect(context.options);
  try {
    await ensureSchema(cluster);
    const db = cluster.database;
    await exportToView(
      context,
      cluster,
      "monthly_product_sales",
      `
      SELECT toString(toStartOfMonth(toDate(invoice_date))) AS month, country, stock_code, count() AS lines, sum(quantity) AS units,
        sum(returned_quantity) AS returned_units, sum(${lineMoney("unit_price", "quantity")}) AS revenue,
        sum(${lineMoney("unit_price", "(quantity - returned_quantity)")}) AS net_revenue
      FROM ${db}.sales GROUP BY month, country, stock_code ORDER BY month, country, stock_code`
    );
    const [counts] = await cluster.node(0).rows<{sales: string}>(`SELECT count() AS sales FROM ${db}.sales`);
    const {months} = await queryRow<{months: number}>(context.connection, "SELECT count(*) AS months FROM monthly_product_sales");
    return {sales: Number(counts.sales), months};
  } finally {
    await cluster.close();
  }
}
