/**
 * Robust anomaly scores for sales lines. Prices: per product, the median and MAD of log unit price; a
 * line's price score is its distance from the median in robust standard deviations (1.4826·MAD, but never
 * below `minPriceSpread`). Quantities: per product, the median and MAD of log quantity; each identified
 * customer's usual quantity relative to the product's median (the median of their lines' residuals) is
 * taken out before scoring, so a wholesaler who always buys in bulk is not flagged for it.
 */

export interface Lines {
  /** Product index of each line (0 … products − 1). */
  product: Int32Array;
  /** Customer index of each line, −1 for none. */
  customer: Int32Array;
  quantity: Float64Array;
  unitPrice: Float64Array;
  products: number;
  customers: number;
}

export interface RobustOptions {
  /** Smallest robust spread of log price (log 1.25: a 25% price difference is one spread). Default: 0.223. */
  minPriceSpread?: number;
  /** Smallest robust spread of log quantity (log 2). Default: 0.693. */
  minQuantitySpread?: number;
  /** Lines a customer needs before their usual quantity counts. Default: 3. */
  minCustomerLines?: number;
}

export const DEFAULT_ROBUST_OPTIONS = {minPriceSpread: Math.log(1.25), minQuantitySpread: Math.log(2), minCustomerLines: 3} as const;

export interface RobustScores {
  /** (log price − product median) / spread, per line. */
  priceScore: Float64Array;
  /** (log quantity − product median − customer offset) / spread, per line. */
  quantityScore: Float64Array;
  /** Per product: median unit price and median quantity (exp of the log medians). */
  typicalPrice: Float64Array;
  typicalQuantity: Float64Array;
  /** Per line: the quantity the product's median and the customer's habit lead one to expect. */
  expectedQuantity: Float64Array;
}

const MAD_SCALE = 1.4826;

export function robustScores(lines: Lines, options: RobustOptions = {}): RobustScores {
  const {minPriceSpread, minQuantitySpread, minCustomerLines} = {...DEFAULT_ROBUST_OPTIONS, ...options};
  const n = lines.product.length;
  for (const [name, array] of [
    ["customer", lines.customer],
    ["quantity", lines.quantity],
    ["unitPrice", lines.unitPrice]
  ] as const) {
    if (array.length !== n) throw new Error(`lines.${name} has ${array.length} values; expected ${n}`);
  }
  const logPrice = new Float64Array(n);
  const logQuantity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(lines.unitPrice[i] > 0)) throw new Error(`invalid unit price on line ${i}; not a positive number: ${lines.unitPrice[i]}`);
    if (!(lines.quantity[i] > 0)) throw new Error(`invalid quantity on line ${i}; not a positive number: ${lines.quantity[i]}`);
    logPrice[i] = Math.log(lines.unitPrice[i]);
    logQuantity[i] = Math.log(lines.quantity[i]);
  }
  const byProduct = groupBy(lines.product, lines.products);
  const price = medianAndMad(logPrice, byProduct);
  const quantity = medianAndMad(logQuantity, byProduct);
  // Customer habit: the median residual of log quantity against the product's median.
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = logQuantity[i] - quantity.median[lines.product[i]];
  const customerIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) customerIndex[i] = lines.customer[i] < 0 ? lines.customers : lines.customer[i];
  const byCustomer = groupBy(customerIndex, lines.customers + 1);
  const habit = medianAndMad(residual, byCustomer, false).median;
  const priceScore = new Float64Array(n);
  const quantityScore = new Float64Array(n);
  const expectedQuantity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = lines.product[i];
    const c = lines.customer[i];
    const known = c >= 0 && byCustomer.offsets[c + 1] - byCustomer.offsets[c] >= minCustomerLines;
    const offset = known ? habit[c] : 0;
    priceScore[i] = (logPrice[i] - price.median[p]) / Math.max(MAD_SCALE * price.mad[p], minPriceSpread);
    quantityScore[i] = (residual[i] - offset) / Math.max(MAD_SCALE * quantity.mad[p], minQuantitySpread);
    expectedQuantity[i] = Math.exp(quantity.median[p] + offset);
  }
  return {priceScore, quantityScore, typicalPrice: price.median.map(Math.exp), typicalQuantity: quantity.median.map(Math.exp), expectedQuantity};
}

interface Groups {
  /** Members of group g: order[offsets[g] … offsets[g + 1]). */
  offsets: Int32Array;
  order: Int32Array;
}

export function groupBy(keys: Int32Array, groups: number): Groups {
  const offsets = new Int32Array(groups + 1);
  for (const key of keys) {
    if (!(key >= 0 && key < groups)) throw new Error(`invalid group index; expected 0 to ${groups - 1}: ${key}`);
    offsets[key + 1]++;
  }
  for (let g = 0; g < groups; g++) offsets[g + 1] += offsets[g];
  const cursor = offsets.slice(0, groups);
  const order = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) order[cursor[keys[i]]++] = i;
  return {offsets, order};
}

/**
 * Per group: the median of `values`, and (unless `withMad` is false) the median absolute deviation from
 * it; NaN for an empty group. One sort per group: the deviations of sorted values from their median are
 * two sorted runs (below it, descending; above it, ascending), merged to their middle without sorting.
 */
export function medianAndMad(values: Float64Array, {offsets, order}: Groups, withMad = true): {median: Float64Array; mad: Float64Array} {
  const groups = offsets.length - 1;
  const median = new Float64Array(groups).fill(Number.NaN);
  const mad = new Float64Array(groups).fill(Number.NaN);
  let buffer = new Float64Array(64);
  for (let g = 0; g < groups; g++) {
    const start = offsets[g];
    const size = offsets[g + 1] - start;
    if (size === 0) continue;
    if (buffer.length < size) buffer = new Float64Array(size * 2);
    const slice = buffer.subarray(0, size);
    for (let k = 0; k < size; k++) slice[k] = values[order[start + k]];
    slice.sort();
    const m = middle(slice);
    median[g] = m;
    if (withMad) mad[g] = medianDeviation(slice, m);
  }
  return {median, mad};
}

/** The median of |sorted[k] − m|, merging the runs below and above m. */
function medianDeviation(sorted: Float64Array, m: number): number {
  const n = sorted.length;
  let right = 0;
  while (right < n && sorted[right] < m) right++;
  let left = right - 1;
  const take = () => {
    if (left >= 0 && (right >= n || m - sorted[left] <= sorted[right] - m)) return m - sorted[left--];
    return sorted[right++] - m;
  };
  const half = n >> 1;
  let previous = 0;
  for (let k = 0; k < half; k++) previous = take();
  const current = take();
  return n % 2 ? current : (previous + current) / 2;
}

function middle(sorted: Float64Array): number {
  const half = sorted.length >> 1;
  return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}
