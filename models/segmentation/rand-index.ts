/**
 * Adjusted Rand index of two labelings of the same items (Hubert & Arabie): 1 for identical partitions
 * (whatever the label numbers), about 0 for independent ones. Labels are non-negative integers.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new Error(`labelings differ in length: ${n} vs ${b.length}`);
  const ka = Math.max(-1, ...Array.from(a)) + 1;
  const kb = Math.max(-1, ...Array.from(b)) + 1;
  const table = new Float64Array(ka * kb);
  const rows = new Float64Array(ka);
  const columns = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(a[i]) || a[i] < 0 || !Number.isInteger(b[i]) || b[i] < 0) {
      throw new Error(`invalid label at ${i}; not a non-negative integer: ${a[i]}, ${b[i]}`);
    }
    table[a[i] * kb + b[i]]++;
    rows[a[i]]++;
    columns[b[i]]++;
  }
  const pairs = (x: number) => (x * (x - 1)) / 2;
  const index = table.reduce((sum, x) => sum + pairs(x), 0);
  const rowPairs = rows.reduce((sum, x) => sum + pairs(x), 0);
  const columnPairs = columns.reduce((sum, x) => sum + pairs(x), 0);
  const expected = (rowPairs * columnPairs) / pairs(n);
  const maximum = (rowPairs + columnPairs) / 2;
  // Both labelings put everything in one cluster (or every item alone): identical partitions.
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}
