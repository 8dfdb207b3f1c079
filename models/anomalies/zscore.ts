/**
 * The seed's method: z-scores of quantity, unit price and amount (quantity × price) against the mean and
 * population standard deviation of the fit's lines; a line is anomalous when any |z| exceeds the threshold.
 */
export interface ZScores {
  quantity: Float64Array;
  unitPrice: Float64Array;
  amount: Float64Array;
}

/** The fitted means and standard deviations, in the order quantity, unit price, amount. */
export interface ZBaseline {
  mean: Float64Array;
  sd: Float64Array;
}

const amounts = (quantity: Float64Array, unitPrice: Float64Array) => {
  const amount = new Float64Array(quantity.length);
  for (let i = 0; i < amount.length; i++) amount[i] = quantity[i] * unitPrice[i];
  return amount;
};

export function zFit(quantity: Float64Array, unitPrice: Float64Array): ZBaseline {
  const columns = [quantity, unitPrice, amounts(quantity, unitPrice)];
  const mean = new Float64Array(3);
  const sd = new Float64Array(3);
  columns.forEach((values, k) => ([mean[k], sd[k]] = moments(values)));
  return {mean, sd};
}

/** The lines' z-scores against a fitted baseline (0 for a column whose fitted values were constant). */
export function zScoresAgainst({mean, sd}: ZBaseline, quantity: Float64Array, unitPrice: Float64Array): ZScores {
  const [q, p, a] = [quantity, unitPrice, amounts(quantity, unitPrice)].map((values, k) => standardiseWith(values, mean[k], sd[k]));
  return {quantity: q, unitPrice: p, amount: a};
}

/** z-scores of the lines against their own mean and standard deviation. */
export function zScores(quantity: Float64Array, unitPrice: Float64Array): ZScores {
  return zScoresAgainst(zFit(quantity, unitPrice), quantity, unitPrice);
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
  const [mean, sd] = moments(values);
  return standardiseWith(values, mean, sd);
}

function moments(values: Float64Array): [mean: number, sd: number] {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (values[i] - mean) ** 2 / n;
  return [mean, Math.sqrt(variance)];
}

function standardiseWith(values: Float64Array, mean: number, sd: number): Float64Array {
  const out = new Float64Array(values.length);
  if (sd > 0) for (let i = 0; i < values.length; i++) out[i] = (values[i] - mean) / sd;
  return out;
}
