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
export const EXCLUSION_REASONS = ["duplicate", "positive_cancellation", "non_product", "zero_price", "negative_price", "non_positive_quantity"] as const;

export function isNonProductSql(column: string, rules: CleanRules): string {
  const tests = [
    rules.nonProductCodes.length > 0 ? `${column} IN (${rules.nonProductCodes.map(literal).join(", ")})` : null,
    ...rules.nonProductPatterns.map((pattern) => `regexp_matches(${column}, ${literal(pattern)}, 'i')`)
  ].filter(Boolean);
  return tests.length > 0 ? `(${tests.join(" OR ")})` : "false";
}

/**
 * `classified`: every raw line in file and line order (`line_id` is its row number in the sorted
 * raw_lines file), with its upper-cased product code, flags, and its category: sale, return, or the first
 * of EXCLUSION_REASONS that applies. Exact duplicates are found by hashing each line and comparing the
 * few lines whose hashes collide column by column (\`duplicate_lines\`); later copies are re-categorised in
 * place, which keeps the table in line order so the large outputs need no sort.
 */
export function classifySql(rawLinesPath: string, rules: CleanRules): string {
  const columns = ["invoice_no", "stock_code", "description", "quantity", "invoice_date", "unit_price", "customer_id", "country"];
  return `
    CREATE OR REPLACE TABLE classified AS
    SELECT file_row_number + 1 AS line_id, * EXCLUDE (file_row_number),
      CASE
        WHEN is_cancellation AND quantity > 0 THEN 'positive_cancellation'
        WHEN is_cancellation THEN 'return'
        WHEN is_non_product THEN 'non_product'
        WHEN unit_price = 0 THEN 'zero_price'
        WHEN unit_price < 0 THEN 'negative_price'
        WHEN quantity <= 0 THEN 'non_positive_quantity'
        ELSE 'sale'
      END AS category,
      0 AS matched_quantity
    FROM (
      SELECT *, upper(stock_code) AS code, upper(invoice_no) LIKE 'C%' AS is_cancellation,
        ${isNonProductSql("upper(stock_code)", rules)} AS is_non_product
      FROM read_parquet(${literal(rawLinesPath)}, file_row_number = true)
    );

    CREATE OR REPLACE TABLE duplicate_lines AS
    SELECT line_id, first_line FROM (
      SELECT line_id, first_value(source_file || ' line ' || source_line) OVER same AS first_line, row_number() OVER same AS copy_number
      FROM classified
      WHERE hash(${columns.join(", ")}) IN (SELECT hash(${columns.join(", ")}) FROM classified GROUP BY ALL HAVING count(*) > 1)
      WINDOW same AS (PARTITION BY ${columns.join(", ")} ORDER BY line_id))
    WHERE copy_number > 1;

    UPDATE classified SET category = 'duplicate' WHERE line_id IN (SELECT line_id FROM duplicate_lines)`;
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

/** Records the matched units on both sides (`return_matches`: purchase, cancellation, quantity). */
export const applyMatchesSql = `
  UPDATE classified SET matched_quantity = m.quantity
  FROM (SELECT purchase AS line_id, sum(quantity) AS quantity FROM return_matches GROUP BY ALL
        UNION ALL SELECT cancellation, sum(quantity) FROM return_matches GROUP BY ALL) AS m
  WHERE classified.line_id = m.line_id`;

/**
 * The outputs, as views over `classified` (scans keep its line order, so no sort is needed): the
 * runner streams each to Parquet.
 */
export const cleanViewsSql = `
  CREATE OR REPLACE VIEW sales AS
  SELECT source_file, source_line, invoice_no, invoice_date, code AS stock_code, description, quantity,
    unit_price, customer_id, coalesce(country, 'Unspecified') AS country,
    CAST(quantity * ${money("unit_price")} AS DOUBLE) AS revenue,
    CAST(matched_quantity AS INTEGER) AS returned_quantity,
    CAST(quantity - matched_quantity AS INTEGER) AS net_quantity,
    CAST((quantity - matched_quantity) * ${money("unit_price")} AS DOUBLE) AS net_revenue
  FROM classified
  WHERE category = 'sale';

  CREATE OR REPLACE VIEW returns AS
  SELECT source_file, source_line, invoice_no, invoice_date, code AS stock_code, description,
    CAST(-quantity AS INTEGER) AS quantity, unit_price, customer_id, coalesce(country, 'Unspecified') AS country,
    CAST(-quantity * ${money("unit_price")} AS DOUBLE) AS value,
    NOT is_non_product AS is_product,
    CAST(matched_quantity AS INTEGER) AS matched_quantity,
    CAST(-quantity - matched_quantity AS INTEGER) AS unmatched_quantity
  FROM classified
  WHERE category = 'return';

  CREATE OR REPLACE VIEW excluded_lines AS
  SELECT source_file, source_line, invoice_no, invoice_date, code AS stock_code, description, quantity, unit_price,
    customer_id, country, category AS reason,
    CASE category
      WHEN 'duplicate' THEN 'exact copy of ' || duplicate_lines.first_line
      WHEN 'positive_cancellation' THEN 'cancellation invoice with a positive quantity (' || quantity || ')'
      WHEN 'non_product' THEN code || coalesce(' (' || description || ')', '') || ' is a fee, postage or adjustment, not a product'
      WHEN 'zero_price' THEN 'unit price is 0'
      WHEN 'negative_price' THEN 'unit price is negative (' || unit_price || '): a bad-debt adjustment'
      WHEN 'non_positive_quantity' THEN 'quantity ' || quantity || ' on a sales invoice: a stock adjustment'
    END AS detail
  FROM classified LEFT JOIN duplicate_lines USING (line_id)
  WHERE category NOT IN ('sale', 'return')
  ORDER BY line_id;`;
