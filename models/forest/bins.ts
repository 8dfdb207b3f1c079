/**
 * Feature binning for histogram trees: each feature's values are cut once into at most `maxBins` bins, so
 * a split search only scans small integer histograms. Bin b of a feature holds the values x with
 * thresholds[b − 1] < x ≤ thresholds[b] (the last bin: x > every threshold), so "bin ≤ b" is "x ≤
 * thresholds[b]" and a fitted tree applies to raw values without the binning.
 */

/** Ascending cut points of every feature (feature-major). */
export type Thresholds = number[][];

/**
 * Cut points per feature: midpoints between consecutive distinct values when a feature has at most
 * `maxBins` of them, otherwise (distinct) quantiles of its values at q/maxBins, q = 1…maxBins − 1.
 */
export function fitThresholds(columns: readonly ArrayLike<number>[], maxBins = 32): Thresholds {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > 256) throw new Error(`invalid maxBins; not an integer from 2 to 256: ${maxBins}`);
  return columns.map((column, feature) => {
    const sorted = Float64Array.from(column).sort();
    for (let i = 0; i < sorted.length; i++) {
      if (!Number.isFinite(sorted[i])) throw new Error(`invalid value of feature ${feature}; not a finite number: ${sorted[i]}`);
    }
    const distinct: number[] = [];
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
    if (distinct.length <= maxBins) return distinct.slice(1).map((value, i) => (distinct[i] + value) / 2);
    const cuts: number[] = [];
    const max = sorted[sorted.length - 1];
    for (let q = 1; q < maxBins; q++) {
      const cut = sorted[Math.floor((q * sorted.length) / maxBins)];
      if (cut < max && (cuts.length === 0 || cut > cuts[cuts.length - 1])) cuts.push(cut);
    }
    return cuts;
  });
}

/** Bin codes of every value (feature-major), by binary search over the thresholds. */
export function applyThresholds(columns: readonly ArrayLike<number>[], thresholds: Thresholds): Uint8Array[] {
  if (columns.length !== thresholds.length) throw new Error(`expected ${thresholds.length} features, got ${columns.length}`);
  return columns.map((column, feature) => {
    const cuts = thresholds[feature];
    const codes = new Uint8Array(column.length);
    for (let i = 0; i < column.length; i++) {
      const x = column[i];
      if (Number.isNaN(x)) throw new Error(`invalid value of feature ${feature} at ${i}: NaN`);
      let low = 0;
      let high = cuts.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (cuts[middle] < x) low = middle + 1;
        else high = middle;
      }
      codes[i] = low;
    }
    return codes;
  });
}
