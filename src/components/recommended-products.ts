/**
 * What the recommender says to promote: how many customers have each product among their recommendations
 * (in one mode, up to a rank), overall and per customer segment. Pure (unit-tested).
 */
export interface RecommendationColumns {
  customer_id: ArrayLike<number>;
  mode: ArrayLike<string>;
  rank: ArrayLike<number>;
  stock_code: ArrayLike<string>;
  description: ArrayLike<string | null>;
}

export interface RecommendedProduct {
  segment: string;
  stock_code: string;
  description: string;
  /** Customers with the product in their recommendations. */
  customers: number;
  /** Share of the segment's recommended customers. */
  share: number;
}

/**
 * Products by the number of customers they are recommended to (mode, rank ≤ maxRank), most first (ties by
 * stock code), the top `limit` of each segment. `segmentOf` gives a customer's segment; without it every
 * customer is in "All customers". Customers the function cannot place are counted under "No segment".
 */
export function recommendedProducts(
  columns: RecommendationColumns,
  {
    mode,
    maxRank = 10,
    limit = 10,
    segmentOf
  }: {
    mode: string;
    maxRank?: number;
    limit?: number;
    segmentOf?: (customerId: number) => string | undefined;
  }
): RecommendedProduct[] {
  const counts = new Map<string, Map<string, number>>();
  const customers = new Map<string, Set<number>>();
  const descriptions = new Map<string, string>();
  for (let i = 0; i < columns.customer_id.length; i++) {
    if (columns.mode[i] !== mode || columns.rank[i]! > maxRank) continue;
    const id = columns.customer_id[i]!;
    const segment = segmentOf ? (segmentOf(id) ?? "No segment") : "All customers";
    const code = columns.stock_code[i]!;
    if (!descriptions.has(code)) descriptions.set(code, columns.description[i] ?? code);
    const own = counts.get(segment) ?? new Map<string, number>();
    own.set(code, (own.get(code) ?? 0) + 1);
    counts.set(segment, own);
    const members = customers.get(segment) ?? new Set<number>();
    members.add(id);
    customers.set(segment, members);
  }
  const result: RecommendedProduct[] = [];
  for (const [segment, own] of counts) {
    const total = customers.get(segment)!.size;
    const ranked = [...own].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit);
    for (const [code, n] of ranked) result.push({segment, stock_code: code, description: descriptions.get(code)!, customers: n, share: n / total});
  }
  return result;
}
