/**
 * Each product's name, as every snapshot shows it: its most frequent description on the sales lines
 * `where` selects (ties: the first alphabetically; NULL for a product never described). `product_performance`,
 * the recommendations and the basket's fit (on its window's lines) all name products this way.
 */
export function productNamesSql(where = "true"): string {
  return `(
    SELECT stock_code, description FROM (
      SELECT stock_code, description, row_number() OVER (PARTITION BY stock_code ORDER BY count(*) DESC, description) AS rank
      FROM sales WHERE (${where}) AND description IS NOT NULL GROUP BY stock_code, description
    ) WHERE rank = 1)`;
}
