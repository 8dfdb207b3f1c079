import {literal} from "../db.js";
import {DECIMAL} from "../transform/money.js";

/**
 * Churn features and labels in SQL. The protocol (issue 4, fitted on a schedule since issue 12): the cut-off
 * is the last day of the fit window (`fittedThrough`, loaders/run/fit-window.ts) − 90 days; a customer is
 * labelled when they bought before the cut-off, and churned when they bought nothing from the cut-off
 * through the end of the fit window, so the labelled sample does not move with days after it. Features as of day T use only sales and returns dated strictly before T
 * (never `sales.net_revenue` or `returned_quantity`, which include cancellations made later).
 */

/** Orders are also counted in each of the 9 periods of 30 days before the as-of day. */
const ORDER_BUCKETS = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/** Days between the cut-off and the last day of the fit window (the churn horizon). */
export const CHURN_WINDOW_DAYS = 90;

/**
 * The last day with a sale or return, the cut-off (`fittedThrough` − 90 days), and the day after the data
 * ends (for scoring).
 */
export function churnDatesSql(fittedThrough: string): string {
  const through = `DATE ${literal(checkDay(fittedThrough, "fit window end"))}`;
  return `
  SELECT strftime(last_day, '%Y-%m-%d') AS last_day,
    strftime(${through} - ${CHURN_WINDOW_DAYS}, '%Y-%m-%d') AS cutoff,
    strftime(last_day + 1, '%Y-%m-%d') AS score_as_of
  FROM (SELECT max(invoice_date)::DATE AS last_day FROM (SELECT invoice_date FROM sales UNION ALL SELECT invoice_date FROM returns))`;
}

function checkDay(day: string, what: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`invalid ${what}; expected YYYY-MM-DD: ${JSON.stringify(day)}`);
  return day;
}

export interface SourceTables {
  sales: string;
  returns: string;
}

/** Prefix of the per-customer summaries churnBaseSql creates and churnFeaturesSql reads. */
export const BASE_PREFIX = "churn_base";

/**
 * Summaries of the identified customers' sales and returns, small enough that features as of any day are
 * quick to compute from them: one row per (customer, invoice, time), per (customer, product) with its first
 * purchase time, per (customer, country, time) with its lines, and per product return. Every row keeps its
 * time, so features as of T can filter strictly before T: nothing after T can reach them.
 */
export function churnBaseSql(tables: SourceTables = {sales: "sales", returns: "returns"}, prefix = BASE_PREFIX): string {
  return `
  CREATE OR REPLACE TEMP TABLE ${prefix}_invoices AS
  SELECT customer_id, invoice_no, invoice_date, CAST(sum(CAST(revenue AS ${DECIMAL})) AS ${DECIMAL}) AS revenue, sum(quantity) AS units
  FROM ${tables.sales} WHERE customer_id IS NOT NULL GROUP BY customer_id, invoice_no, invoice_date;

  CREATE OR REPLACE TEMP TABLE ${prefix}_products AS
  SELECT customer_id, stock_code, min(invoice_date) AS first_bought
  FROM ${tables.sales} WHERE customer_id IS NOT NULL GROUP BY customer_id, stock_code;

  CREATE OR REPLACE TEMP TABLE ${prefix}_countries AS
  SELECT customer_id, country, invoice_date, count(*) AS lines
  FROM ${tables.sales} WHERE customer_id IS NOT NULL GROUP BY customer_id, country, invoice_date;

  CREATE OR REPLACE TEMP TABLE ${prefix}_returns AS
  SELECT customer_id, invoice_date, CAST(value AS ${DECIMAL}) AS value, is_product
  FROM ${tables.returns} WHERE customer_id IS NOT NULL;`;
}

/**
 * One row per identified customer with a sale before `asOf` (YYYY-MM-DD), ordered by customer_id: the
 * columns of CHURN_FEATURES (models/churn/features.ts), plus `customer_id`, `country` and
 * `expected_spend_90d` (net spend of the last 365 days, after every cancellation including manual
 * adjustments such as a cancelled order credited under code M, per 90 days of that window the customer was
 * active, at least 90 days: the spend at stake if they stay). Reads the tables of churnBaseSql, only their
 * rows dated strictly before `asOf`.
 */
export function churnFeaturesSql(asOf: string, prefix = BASE_PREFIX): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error(`invalid as-of date; expected YYYY-MM-DD: ${JSON.stringify(asOf)}`);
  const day = `DATE ${literal(asOf)}`;
  return `
  WITH invoices AS (
    SELECT customer_id, invoice_no, min(invoice_date)::DATE AS day, sum(revenue) AS revenue, sum(units) AS units
    FROM ${prefix}_invoices WHERE invoice_date < ${day} GROUP BY customer_id, invoice_no
  ), per_customer AS (
    SELECT customer_id, count(*) AS frequency, count(DISTINCT day) AS purchase_days, min(day) AS first_day, max(day) AS last_day,
      CAST(sum(revenue) AS DOUBLE) AS revenue, sum(units) AS units,
      ${ORDER_BUCKETS.map((m) => `count(*) FILTER (WHERE day >= ${day} - ${30 * (m + 1)} AND day < ${day} - ${30 * m})::DOUBLE AS orders_${30 * m}_${30 * (m + 1)}d`).join(",\n      ")},
      ${sumWhere("revenue", `day >= ${day} - ${CHURN_WINDOW_DAYS}`)} AS spend_last_90d,
      ${sumWhere("revenue", `day >= ${day} - ${2 * CHURN_WINDOW_DAYS} AND day < ${day} - ${CHURN_WINDOW_DAYS}`)} AS spend_previous_90d,
      ${sumWhere("revenue", `day >= ${day} - 365`)} AS spend_last_365d
    FROM invoices GROUP BY customer_id
  ), products AS (
    SELECT customer_id, count(*) AS distinct_products FROM ${prefix}_products WHERE first_bought < ${day} GROUP BY customer_id
  ), home AS (
    SELECT customer_id, country FROM (
      SELECT customer_id, country, row_number() OVER (PARTITION BY customer_id ORDER BY sum(lines) DESC, country) AS rank
      FROM ${prefix}_countries WHERE invoice_date < ${day} GROUP BY customer_id, country
    ) WHERE rank = 1
  ), returned AS (
    SELECT customer_id, ${sumWhere("value", "is_product")} AS returns_value,
      ${sumWhere("value", `invoice_date >= ${day} - 365`)} AS cancelled_last_365d
    FROM ${prefix}_returns WHERE invoice_date < ${day} GROUP BY customer_id
  ), features AS (
    SELECT p.customer_id, h.country,
      CAST(${day} - p.last_day AS DOUBLE) AS recency_days,
      CAST(p.frequency AS DOUBLE) AS frequency,
      p.revenue - coalesce(r.returns_value, 0) AS monetary,
      CAST(${day} - p.first_day AS DOUBLE) AS tenure_days,
      p.revenue / p.frequency AS avg_basket,
      p.revenue / p.units AS avg_item_price,
      CASE WHEN p.purchase_days > 1 THEN (p.last_day - p.first_day) / (p.purchase_days - 1) ELSE ${day} - p.first_day END::DOUBLE AS avg_gap_days,
      p.frequency * 30 / greatest(${day} - p.first_day, 30) AS order_rate,
      ${ORDER_BUCKETS.map((m) => `p.orders_${30 * m}_${30 * (m + 1)}d`).join(", ")},
      CASE WHEN p.spend_last_90d + p.spend_previous_90d > 0
        THEN (p.spend_last_90d - p.spend_previous_90d) / (p.spend_last_90d + p.spend_previous_90d) ELSE 0 END AS spend_trend,
      CAST(d.distinct_products AS DOUBLE) AS distinct_products,
      coalesce(r.returns_value, 0) / p.revenue AS returns_share,
      CASE WHEN h.country = 'United Kingdom' THEN 1.0 ELSE 0.0 END AS is_uk,
      greatest(p.spend_last_365d - coalesce(r.cancelled_last_365d, 0), 0) * ${CHURN_WINDOW_DAYS}
        / greatest(least(${day} - p.first_day, 365), ${CHURN_WINDOW_DAYS}) AS expected_spend_90d
    FROM per_customer AS p JOIN products AS d USING (customer_id) JOIN home AS h USING (customer_id) LEFT JOIN returned AS r USING (customer_id)
  )
  SELECT customer_id, country, recency_days, frequency, monetary, tenure_days, avg_basket, avg_item_price, avg_gap_days,
    recency_days / greatest(avg_gap_days, 1) AS overdue_ratio, order_rate,
    ${ORDER_BUCKETS.map((m) => `orders_${30 * m}_${30 * (m + 1)}d`).join(", ")}, spend_trend, distinct_products,
    returns_share, is_uk, expected_spend_90d
  FROM features
  ORDER BY customer_id`;
}

/**
 * Labels for the customers with a sale before the cut-off: churned = 1 when they have no sale from the
 * cut-off through `through` (the fit window's last day; sales after it are not read), else 0. Ordered by
 * customer_id.
 */
export function churnLabelsSql(cutoff: string, through: string, tables: SourceTables = {sales: "sales", returns: "returns"}): string {
  const day = `DATE ${literal(checkDay(cutoff, "cut-off date"))}`;
  const end = `DATE ${literal(checkDay(through, "fit window end"))} + 1`;
  return `
  SELECT customer_id, CASE WHEN bool_or(invoice_date >= ${day}) THEN 0 ELSE 1 END AS churned
  FROM ${tables.sales}
  WHERE customer_id IS NOT NULL AND invoice_date < ${end}
  GROUP BY customer_id
  HAVING bool_or(invoice_date < ${day})
  ORDER BY customer_id`;
}

/** An exact sum (of a DECIMAL column) over the rows that meet `condition`, as DOUBLE (0 when none do). */
function sumWhere(expression: string, condition: string): string {
  return `coalesce(CAST(sum(${expression}) FILTER (WHERE ${condition}) AS DOUBLE), 0)`;
}
