/**
 * Robust baselines of sales lines, fitted once and scored against on every run. Prices: per product, the
 * median and MAD of log unit price; a line's price score is its distance from the median in robust
 * standard deviations (1.4826·MAD, but never below `minPriceSpread`). Quantities: per product, the median
 * and MAD of log quantity; each identified customer's usual quantity relative to the product's median (the
 * median of their lines' residuals) is taken out before scoring, so a wholesaler who always buys in bulk is
 * not flagged for it.
 */

export interface Lines {
  /** Product index of each line (0 … products − 1; −1 for a product the fit did not see, when scoring). */
  product: Int32Array;
  /** Customer index of each line, −1 for none (or, when scoring, one the fit did not see). */
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
  /** Lines a customer needs in the fit before their usual quantity counts. Default: 3. */
  minCustomerLines?: number;
}

export const DEFAULT_ROBUST_OPTIONS = {minPriceSpread: Math.log(1.25), minQuantitySpread: Math.log(2), minCustomerLines: 3} as const;

/** The fitted baselines (plain typed arrays): per product and per customer. */
export interface Baselines {
  /** Per product: median log unit price and its robust spread (NaN for a product without lines in the fit). */
  logPrice: Float64Array;
  priceSpread: Float64Array;
  /** Per product: median log quantity and its robust spread. */
  logQuantity: Float64Array;
  quantitySpread: Float64Array;
  /** Per customer: their usual log quantity against the product's median (0 with fewer than minCustomerLines lines). */
  habit: Float64Array;
}

export interface RobustScores {
  /** (log price − product median) / spread, per line; NaN for a line whose product has no baseline. */
  priceScore: Float64Array;
  /** (log quantity − product median − customer habit) / spread, per line. */
  quantityScore: Float64Array;
  /** Per line: the quantity the product's median and the customer's habit lead one to expect. */
  expectedQuantity: Float64Array;
}

const MAD_SCALE = 1.4826;

export function fitBaselines(lines: Lines, options: RobustOptions = {}): Baselines {
  const {minPriceSpread, minQuantitySpread, minCustomerLines} = {...DEFAULT_ROBUST_OPTIONS, ...options};
  const {logPrice, logQuantity} = logs(lines);
  const n = lines.product.length;
  const byProduct = groupBy(lines.product, lines.products);
  const price = medianAndMad(logPrice, byProduct);
  const quantity = medianAndMad(logQuantity, byProduct);
  const spread = (mad: Float64Array, least: number) => mad.map((value) => Math.max(MAD_SCALE * value, least));
  // Customer habit: the median residual of log quantity against the product's median.
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = logQuantity[i] - quantity.median[lines.product[i]];
  const customerIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) customerIndex[i] = lines.customer[i] < 0 ? lines.customers : lines.customer[i];
  const byCustomer = groupBy(customerIndex, lines.customers + 1);
  const median = medianAndMad(residual, byCustomer, false).median;
  const habit = new Float64Array(lines.customers);
  for (let c = 0; c < lines.customers; c++) habit[c] = byCustomer.offsets[c + 1] - byCustomer.offsets[c] >= minCustomerLines ? median[c] : 0;
  return {
    logPrice: price.median,
    priceSpread: spread(price.mad, minPriceSpread),
    logQuantity: quantity.median,
    quantitySpread: spread(quantity.mad, minQuantitySpread),
    habit
  };
}

/** Whether line i's product has a baseline to score it against. */
export const hasBaseline = (baselines: Baselines, product: number) => product >= 0 && !Number.isNaN(baselines.logPrice[product]);

/** Scores lines against fitted baselines (a customer the fit did not see, or a guest, has no habit). */
export function robustScores(baselines: Baselines, lines: Lines): RobustScores {
  const {logPrice, logQuantity} = logs(lines);
  const n = lines.product.length;
  const products = baselines.logPrice.length;
  const customers = baselines.habit.length;
  const priceScore = new Float64Array(n).fill(Number.NaN);
  const quantityScore = new Float64Array(n).fill(Number.NaN);
  const expectedQuantity = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const p = lines.product[i];
    const c = lines.customer[i];
    if (!(p >= -1 && p < products)) throw new Error(`invalid product index on line ${i}; expected -1 to ${products - 1}: ${p}`);
    if (!(c >= -1 && c < customers)) throw new Error(`invalid customer index on line ${i}; expected -1 to ${customers - 1}: ${c}`);
    if (!hasBaseline(baselines, p)) continue;
    const offset = c >= 0 ? baselines.habit[c] : 0;
    priceScore[i] = (logPrice[i] - baselines.logPrice[p]) / baselines.priceSpread[p];
    quantityScore[i] = (logQuantity[i] - baselines.logQuantity[p] - offset) / baselines.quantitySpread[p];
    expectedQuantity[i] = Math.exp(baselines.logQuantity[p] + offset);
  }
  return {priceScore, quantityScore, expectedQuantity};
}

function logs(lines: Lines): {logPrice: Float64Array; logQuantity: Float64Array} {
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
  return {logPrice, logQuantity};
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
