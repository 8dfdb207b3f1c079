import {literal} from "../db.js";
import {money} from "./money.js";

/** What decides whether a line is a product sale; from the pipeline options. */
export interface CleanRules {
  /** Upper-case stock codes that are fees, postage or adjustments. */
  nonProductCodes: readonly string[];
  /** Case-insensitive regular expressions for further non-product codes. */
  nonProductPatterns: readonly string[];
}

/** Reasons a parsed line is neither a sale nor a return, in the order they are tested. */
export const EXCLUSION_REASONS = [
  "duplicate",
  "positive_cancellation",
  "non_product",
  "zero_price",
  "negative_price",
  "non_positive_quantity"
] as const;

export function isNonProductSql(column: string, rules: CleanRules): string {
  const tests = [
    rules.nonProductCodes.length > 0 ? `${column} IN (${rules.nonProductCodes.map(literal).join(", ")})` : null,
    ...rules.nonProductPatterns.map((pattern) => `regexp_matches(${column}, ${literal(pattern)}, 'i')`)
  ].filter(Boolean);
  return tests.length > 0 ? `(${tests.join(" OR ")})` : "false";
}

/**
 * `classified`: every raw line with a `line_id`, its upper-cased product code and its category: sale,
 * return, or one of EXCLUSION_REASONS (the first that applies), with a plain-language detail.
 */
export function classifySql(rules: CleanRules): string {
  return `
    CREATE OR REPLACE TEMP TABLE classified AS
    WITH numbered AS (
      SELECT *,
        row_number() OVER (ORDER BY source_file, source_line) AS line_id,
        upper(stock_code) AS code,
        upper(invoice_no) LIKE 'C%' AS is_cancellation,
        row_number() OVER copies AS copy_no,
        first_value(source_file) OVER copies AS first_file,
        first_value(source_line) OVER copies AS first_line
      FROM raw_lines
      WINDOW copies AS (
        PARTITION BY invoice_no, stock_code, description, quantity, invoice_date, unit_price, customer_id, country
        ORDER BY source_file, source_line)
    )
    SELECT *,
      CASE
        WHEN copy_no > 1 THEN 'duplicate'
        WHEN is_cancellation AND quantity > 0 THEN 'positive_cancellation'
        WHEN is_cancellation THEN 'return'
        WHEN ${isNonProductSql("code", rules)} THEN 'non_product'
        WHEN unit_price = 0 THEN 'zero_price'
        WHEN unit_price < 0 THEN 'negative_price'
        WHEN quantity <= 0 THEN 'non_positive_quantity'
        ELSE 'sale'
      END AS category,
      CASE
        WHEN copy_no > 1 THEN 'exact copy of ' || first_file || ' line ' || first_line
        WHEN is_cancellation AND quantity > 0 THEN 'cancellation invoice with a positive quantity (' || quantity || ')'
        WHEN is_cancellation THEN NULL
        WHEN ${isNonProductSql("code", rules)} THEN code || coalesce(' (' || description || ')', '') || ' is a fee, postage or adjustment, not a product'
        WHEN unit_price = 0 THEN 'unit price is 0'
        WHEN unit_price < 0 THEN 'unit price is negative (' || unit_price || '): a bad-debt adjustment'
        WHEN quantity <= 0 THEN 'quantity ' || quantity || ' on a sales invoice: a stock adjustment'
      END AS detail,
      ${isNonProductSql("code", rules)} AS is_non_product
    FROM numbered`;
}

/** Purchases and cancellations that can match each other (same identified customer and product). */
export const matchCandidatesSql = {
  purchases: `
    SELECT sale.line_id AS id, sale.customer_id AS customer, sale.code AS product, epoch_ms(sale.invoice_date) AS time, sale.quantity
    FROM classified AS sale
    SEMI JOIN (SELECT DISTINCT customer_id, code FROM classified WHERE category = 'return' AND customer_id IS NOT NULL) AS cancelled
      USING (customer_id, code)
    WHERE sale.category = 'sale'
    ORDER BY sale.line_id`,
  cancellations: `
    SELECT line_id AS id, customer_id AS customer, code AS product, epoch_ms(invoice_date) AS time, -quantity AS quantity
    FROM classified
    WHERE category = 'return' AND customer_id IS NOT NULL AND NOT is_non_product
    ORDER BY line_id`
};

/** Builds `sales`, `returns` and `excluded_lines` from `classified` and `return_matches`. */
export const cleanTablesSql = `
  CREATE OR REPLACE TABLE sales AS
  SELECT c.source_file, c.source_line, c.invoice_no, c.invoice_date, c.code AS stock_code, c.description, c.quantity,
    c.unit_price, c.customer_id, coalesce(c.country, 'Unspecified') AS country,
    CAST(c.quantity * ${money("c.unit_price")} AS DOUBLE) AS revenue,
    CAST(coalesce(m.returned, 0) AS INTEGER) AS returned_quantity,
    CAST(c.quantity - coalesce(m.returned, 0) AS INTEGER) AS net_quantity,
    CAST((c.quantity - coalesce(m.returned, 0)) * ${money("c.unit_price")} AS DOUBLE) AS net_revenue
  FROM classified AS c
  LEFT JOIN (SELECT purchase, sum(quantity) AS returned FROM return_matches GROUP BY purchase) AS m ON m.purchase = c.line_id
  WHERE c.category = 'sale'
  ORDER BY c.line_id;

  CREATE OR REPLACE TABLE returns AS
  SELECT c.source_file, c.source_line, c.invoice_no, c.invoice_date, c.code AS stock_code, c.description,
    CAST(-c.quantity AS INTEGER) AS quantity, c.unit_price, c.customer_id, coalesce(c.country, 'Unspecified') AS country,
    CAST(-c.quantity * ${money("c.unit_price")} AS DOUBLE) AS value,
    NOT c.is_non_product AS is_product,
    CAST(coalesce(m.matched, 0) AS INTEGER) AS matched_quantity,
    CAST(-c.quantity - coalesce(m.matched, 0) AS INTEGER) AS unmatched_quantity
  FROM classified AS c
  LEFT JOIN (SELECT cancellation, sum(quantity) AS matched FROM return_matches GROUP BY cancellation) AS m ON m.cancellation = c.line_id
  WHERE c.category = 'return'
  ORDER BY c.line_id;

  CREATE OR REPLACE TABLE excluded_lines AS
  SELECT source_file, source_line, invoice_no, invoice_date, code AS stock_code, description, quantity, unit_price,
    customer_id, country, category AS reason, detail
  FROM classified
  WHERE category NOT IN ('sale', 'return')
  ORDER BY line_id;`;
