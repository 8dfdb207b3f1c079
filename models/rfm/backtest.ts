import type {MetricRow} from "../metrics.js";
import {rocAuc} from "../metrics/roc.js";
import {mean} from "../stats.js";
import type {RfmScore} from "./rfm.js";

/** rfm_metrics rows of the back-test: customers scored as of the cut-off against whether they bought again. */
export function backtestRows(past: readonly RfmScore[], bought: Uint8Array, cutoff: string | null): MetricRow[] {
  const outcome = Float64Array.from(bought);
  const split = `time: scored as of ${cutoff} from earlier data only; outcome = a purchase from ${cutoff} to the end of the data (nothing is fitted)`;
  const total = rocAuc(
    Float64Array.from(past, (score) => score.total),
    outcome
  );
  const recencyOnly = rocAuc(
    Float64Array.from(past, (score) => score.r),
    outcome
  );
  const n = bought.length;
  const verdict =
    total > recencyOnly ? `beats the R score alone by ${(total - recencyOnly).toFixed(3)}` : `does NOT beat the R score alone (${recencyOnly.toFixed(3)})`;
  return [
    {
      model: "rfm",
      method: "rfm_score",
      role: "published",
      metric: "roc_auc",
      split,
      value: total,
      n,
      details: `R + F + M (3–15) ranking who buys again in the next 90 days; ${verdict}`
    },
    {model: "rfm", method: "r_score", role: "baseline", metric: "roc_auc", split, value: recencyOnly, n, details: "recency score alone"},
    {
      model: "rfm",
      method: "rfm_score",
      role: "published",
      metric: "repurchase_rate",
      split,
      value: mean(outcome),
      n,
      details: "share of the scored customers who bought again (all segments)"
    }
  ];
}
