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
  const amount = new Float64Array(quantity.length);
  for (let i = 0; i < amount.length; i++) amount[i] = quantity[i] * unitPrice[i];
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
  for (let i = 0; i < n; i++) mean += values[i] / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (values[i] - mean) ** 2 / n;
  const sd = Math.sqrt(variance);
  const out = new Float64Array(n);
  if (sd > 0) for (let i = 0; i < n; i++) out[i] = (values[i] - mean) / sd;
  return out;
}
