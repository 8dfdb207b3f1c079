/**
 * What the recommender says to promote: rows of the `recommended_products` snapshot, in which the pipeline
 * counts, for each list and scope (every customer, and each customer segment), the customers who have each
 * product in their top 10 (loaders/stages/recommended-products.ts). The page reads those few hundred rows,
 * not every customer's lists (8.6 M rows at 100× the data).
 */
import {ALL_CUSTOMERS} from "../shared/values.js";

export {ALL_CUSTOMERS};

export interface RecommendedProduct {
  mode: string;
  /** ALL_CUSTOMERS, a customer segment's name, or "No segment". */
  segment: string;
  /** 1 = recommended to the most customers of the scope. */
  rank: number;
  stock_code: string;
  description: string;
  /** Customers of the scope with the product in their top 10. */
  customers: number;
  /** customers / listed_customers. */
  share: number;
  /** Customers of the scope with a list of this mode. */
  listed_customers: number;
}

/**
 * The top `limit` products of one list (`mode`), most customers first: of every customer (`by: "all"`, the
 * default) or of each segment (`by: "segment"`). The snapshot keeps 15 per list and scope.
 */
export function recommendedProducts(
  rows: readonly RecommendedProduct[],
  {mode, limit = 10, by = "all"}: {mode: string; limit?: number; by?: "all" | "segment"}
): RecommendedProduct[] {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`invalid limit; not a positive integer: ${limit}`);
  return rows
    .filter((row) => row.mode === mode && row.rank <= limit && (by === "all") === (row.segment === ALL_CUSTOMERS))
    .sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : a.rank - b.rank));
}
