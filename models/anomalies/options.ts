import {boolean, nonNegativeNumber, numberAbove, numberBetween, positiveInteger, positiveNumber, seed, withDefaults} from "../options.js";
import {DEFAULT_DETECT_OPTIONS, type DetectOptions} from "./detect.js";
import {DEFAULT_ROBUST_OPTIONS} from "./robust.js";

/** Every option of the anomaly model: the detector's (detect.ts, robust.ts) and its evaluation's. */
export interface AnomalyOptions extends DetectOptions {
  /** Share of the fit's lines altered in the evaluation copy (half quantity × 100, half price × 50). Default: 0.01. */
  injectShare?: number;
  /** Seed of the injection. Default: 42. */
  seed?: number;
  /** |z| above which the seed's method flags a line. Default: 3. */
  zThreshold?: number;
  /** Run the evaluation on injected anomalies (it doubles the fit's cost; the stage evaluates its first bucket only). Default: true. */
  evaluate?: boolean;
}

export const defaults: Readonly<Required<AnomalyOptions>> = {
  ...DEFAULT_ROBUST_OPTIONS,
  ...DEFAULT_DETECT_OPTIONS,
  injectShare: 0.01,
  seed: 42,
  zThreshold: 3,
  evaluate: true
};

const above1 = (name: string, value: unknown) => numberAbove(name, value, 1);

export function options(partial?: Partial<AnomalyOptions>): Required<AnomalyOptions> {
  return withDefaults("anomalies", defaults, partial, {
    minPriceSpread: positiveNumber,
    minQuantitySpread: positiveNumber,
    minCustomerLines: positiveInteger,
    priceRatio: above1,
    priceScore: nonNegativeNumber,
    quantityRatio: above1,
    quantityScore: nonNegativeNumber,
    critical: above1,
    high: above1,
    injectShare: (name, value) => numberBetween(name, value, 0, 1, true),
    seed,
    zThreshold: positiveNumber,
    evaluate: boolean
  });
}
