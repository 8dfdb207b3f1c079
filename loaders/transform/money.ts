/**
 * Money is summed exactly: each amount (a DOUBLE holding a value with at most four decimals) is cast to
 * DECIMAL, summed, and only the total goes back to DOUBLE. Floating-point sums would depend on the order
 * DuckDB's threads add them in, and snapshots must be byte-for-byte reproducible.
 */
export const DECIMAL = "DECIMAL(18, 4)";

export function sumMoney(expression: string): string {
  return `CAST(sum(CAST(${expression} AS ${DECIMAL})) AS DOUBLE)`;
}

export function money(expression: string): string {
  return `CAST(${expression} AS ${DECIMAL})`;
}
