/**
 * The seed's method: z-scores of quantity, unit price and amount (quantity × price) against the mean and
 * standard deviation of all lines; a line is anomalous when any |z| exceeds the threshold.
 */
export interface ZScores {
  quantity: Float64Array;
  unitPrice: Float64Array;
  amount: Float64Array;
}

export function zScores(quantity: Float64Array, unitPrice: Float64Array): ZScores {
  const amount = quantity.map((q, i) => q * unitPrice[i]);
  return {quantity: standardise(quantity), unitPrice: standardise(unitPrice), amount: standardise(amount)};
}

export function zFlags(scores: ZScores, threshold = 3): Uint8Array {
  const n = scores.quantity.length;
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    flags[i] = Math.abs(scores.quantity[i]) > threshold || Math.abs(scores.unitPrice[i]) > threshold || Math.abs(scores.amount[i]) > threshold ? 1 : 0;
  }
  return flags;
}

/** (x − mean) / population standard deviation; all zeros when the values are constant. */
export function standardise(values: Float64Array): Float64Array {
  const n = values.length;
  let mean = 0;
  for (const value of values) mean += value / n;
  let variance = 0;
  for (const value of values) variance += (value - mean) ** 2 / n;
  const sd = Math.sqrt(variance);
  return values.map((value) => (sd > 0 ? (value - mean) / sd : 0));
}
