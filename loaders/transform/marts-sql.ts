import {money, sumMoney} from "./money.js";
import {productNamesSql} from "./product-names-sql.js";

/**
 * The marts, from `sales` and `returns`. `orders` is built first (one scan of the line items); the period
 * and country marts aggregate it (an invoice counts on the day of its first line) rather than scanning
 * the line items again. Periods are honest about coverage: the last day of the data may be incomplete
 * (the extract can end mid-day), so it, and every week or month containing it or starting before the data
 * does, is flagged partial.
 */

/** `coverage`: first day, last day (partial) and the day after the data ends (the RFM reference). */
const coverageSql = `
  CREATE OR REPLACE TEMP TABLE coverage AS
  SELECT min(day) AS first_day, max(day) AS last_day, max(day) - 1 AS complete_through, max(day) + 1 AS reference_day
  FROM (SELECT invoice_date::DATE AS day FROM sales UNION ALL SELECT invoice_date::DATE FROM returns)`;

/** Sales and product-return measures per (period, country), for a period expression over `invoice_date`. */
function periodMeasuresSql(period: string): string {
  return `
    WITH sold AS (
      SELECT ${period} AS period, country,
        count(*) AS orders, count(DISTINCT customer_id) AS customers, sum(units)::BIGINT AS units,
        sum(lines)::BIGINT AS lines, ${sumMoney("revenue")} AS revenue, ${sumMoney("net_revenue")} AS net_revenue
      FROM orders GROUP BY ALL
    ), returned AS (
      SELECT ${period} AS period, country, ${sumMoney("value")} AS returns_value
      FROM returns WHERE is_product GROUP BY ALL
    )
    SELECT period, country,
      coalesce(orders, 0) AS orders, coalesce(customers, 0) AS customers, coalesce(units, 0)::BIGINT AS units,
      coalesce(revenue, 0) AS revenue, coalesce(net_revenue, 0) AS net_revenue, coalesce(returns_value, 0) AS returns_value,
      coalesce(lines, 0) AS lines
    FROM sold FULL OUTER JOIN returned USING (period, country)`;
}

export const martsSql = `
  ${coverageSql};

  CREATE OR REPLACE TABLE orders AS
  SELECT invoice_no, min(invoice_date) AS invoice_date, min(customer_id) AS customer_id, min(country) AS country,
    count(*) AS lines, sum(quantity)::BIGINT AS units, ${sumMoney("revenue")} AS revenue,
    sum(returned_quantity)::BIGINT AS returned_units, ${sumMoney("net_revenue")} AS net_revenue
  FROM sales
  GROUP BY invoice_no
  ORDER BY invoice_date, invoice_no;

  CREATE OR REPLACE TABLE daily_sales AS
  SELECT m.period AS date, m.country, m.orders, m.customers, m.units, m.revenue, m.net_revenue, m.returns_value, m.lines,
    m.period = c.last_day AS is_partial
  FROM (${periodMeasuresSql("invoice_date::DATE")}) AS m, coverage AS c
  ORDER BY date, country;

  CREATE OR REPLACE TABLE weekly_sales AS
  SELECT m.period AS week_start, m.country, m.orders, m.customers, m.units, m.revenue, m.net_revenue, m.returns_value,
    CAST(least(m.period + 6, c.last_day) - greatest(m.period, c.first_day) + 1 AS INTEGER) AS days_covered,
    m.period < c.first_day OR m.period + 6 > c.complete_through AS is_partial
  FROM (${periodMeasuresSql("date_trunc('week', invoice_date)::DATE")}) AS m, coverage AS c
  ORDER BY week_start, country;

  CREATE OR REPLACE TABLE monthly_sales AS
  SELECT m.period AS month, m.country, m.orders, m.customers, m.units, m.revenue, m.net_revenue, m.returns_value,
    CAST(least(last_day(m.period), c.last_day) - greatest(m.period, c.first_day) + 1 AS INTEGER) AS days_covered,
    CAST(day(last_day(m.period)) AS INTEGER) AS days_in_month,
    m.period < c.first_day OR last_day(m.period) > c.complete_through AS is_partial
  FROM (${periodMeasuresSql("date_trunc('month', invoice_date)::DATE")}) AS m, coverage AS c
  ORDER BY month, country;

  CREATE OR REPLACE TABLE country_sales AS
  WITH sold AS (
    SELECT country, count(*) AS orders, count(DISTINCT customer_id) AS customers, sum(lines)::BIGINT AS lines,
      sum(units)::BIGINT AS units, ${sumMoney("revenue")} AS revenue, ${sumMoney("net_revenue")} AS net_revenue,
      min(invoice_date) AS first_order, max(invoice_date) AS last_order
    FROM orders GROUP BY country
  ), returned AS (
    SELECT country, ${sumMoney("value")} AS returns_value FROM returns WHERE is_product GROUP BY country
  )
  SELECT country, orders, customers, lines, units, revenue, net_revenue, coalesce(returns_value, 0) AS returns_value,
    revenue / orders AS avg_order_value, revenue / CAST(sum(${money("revenue")}) OVER () AS DOUBLE) AS revenue_share, first_order, last_order
  FROM sold LEFT JOIN returned USING (country)
  ORDER BY revenue DESC, country;

  CREATE OR REPLACE TABLE product_performance AS
  WITH named AS ${productNamesSql()}, sold AS (
    SELECT stock_code, sum(quantity)::BIGINT AS units, sum(net_quantity)::BIGINT AS net_units,
      ${sumMoney("revenue")} AS revenue, ${sumMoney("net_revenue")} AS net_revenue,
      count(DISTINCT invoice_no) AS orders, count(DISTINCT customer_id) AS customers, count(DISTINCT country) AS countries,
      sum(returned_quantity)::BIGINT AS returned_units, min(invoice_date) AS first_sold, max(invoice_date) AS last_sold
    FROM sales GROUP BY stock_code
  )
  SELECT stock_code, named.description, units, net_units, revenue, net_revenue, orders, customers, countries,
    revenue / units AS avg_unit_price, returned_units, returned_units / units AS return_rate, first_sold, last_sold,
    row_number() OVER (ORDER BY net_revenue DESC, stock_code) AS revenue_rank
  FROM sold LEFT JOIN named USING (stock_code)
  ORDER BY revenue_rank;

  CREATE OR REPLACE TABLE customer_metrics AS
  WITH home AS (
    SELECT customer_id, country FROM (
      SELECT customer_id, country, row_number() OVER (PARTITION BY customer_id ORDER BY count(*) DESC, country) AS rank
      FROM sales WHERE customer_id IS NOT NULL GROUP BY customer_id, country
    ) WHERE rank = 1
  ), bought AS (
    SELECT customer_id, min(invoice_date) AS first_purchase, max(invoice_date) AS last_purchase,
      count(DISTINCT invoice_no) AS frequency, ${sumMoney("net_revenue")} AS monetary, ${sumMoney("revenue")} AS revenue,
      sum(quantity)::BIGINT AS units, count(DISTINCT stock_code) AS distinct_products
    FROM sales WHERE customer_id IS NOT NULL GROUP BY customer_id
  ), returned AS (
    SELECT customer_id, ${sumMoney("value")} AS returns_value FROM returns WHERE is_product AND customer_id IS NOT NULL GROUP BY customer_id
  )
  SELECT b.customer_id, h.country, b.first_purchase, b.last_purchase,
    CAST(c.reference_day - b.last_purchase::DATE AS INTEGER) AS recency_days,
    b.frequency, b.monetary, b.revenue, coalesce(r.returns_value, 0) AS returns_value, b.units,
    b.revenue / b.frequency AS avg_order_value, b.distinct_products,
    CAST(c.reference_day - b.first_purchase::DATE AS INTEGER) AS tenure_days
  FROM bought AS b JOIN home AS h USING (customer_id) LEFT JOIN returned AS r USING (customer_id), coverage AS c
  ORDER BY b.customer_id;

  DROP TABLE coverage;`;
