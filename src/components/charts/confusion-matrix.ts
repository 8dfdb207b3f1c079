import {html} from "htl";

export interface Confusion {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

export interface ConfusionMatrixOptions {
  /** The probability from which a customer is called a churner. */
  threshold: number;
  /** What the customers are, e.g. "held-out customers". */
  of?: string;
}

/**
 * The 2 × 2 table of predicted against actual churn at a threshold, each cell with its count and share
 * of all cases (`data-cell` = tp, fp, fn, tn; `data-value` the exact count), and the totals.
 */
export function confusionMatrix(confusion: Confusion, {threshold, of = "held-out customers"}: ConfusionMatrixOptions): HTMLElement {
  const {truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn} = confusion;
  const total = tp + fp + fn + tn;
  const cell = (key: string, value: number, meaning: string, good: boolean) =>
    html`<td class="confusion-cell ${good ? "good" : "bad"}" data-cell=${key} data-value=${String(value)}>
      <strong>${value.toLocaleString("en-GB")}</strong><span>${meaning}</span><span class="muted">${total ? ((100 * value) / total).toFixed(1) : "0"}%</span>
    </td>`;
  return html`<figure class="chart confusion" data-chart="churn-confusion">
    <h3>Confusion matrix at threshold ${threshold.toFixed(3)} (${total.toLocaleString("en-GB")} ${of})</h3>
    <table class="confusion-matrix">
      <thead><tr><th></th><th>Predicted churn (p ≥ ${threshold.toFixed(3)})</th><th>Predicted to stay</th><th>Total</th></tr></thead>
      <tbody>
        <tr><th>Churned</th>${cell("tp", tp, "churners caught", true)}${cell("fn", fn, "churners missed", false)}<td class="number">${(tp + fn).toLocaleString("en-GB")}</td></tr>
        <tr><th>Stayed</th>${cell("fp", fp, "stayers flagged", false)}${cell("tn", tn, "stayers left alone", true)}<td class="number">${(fp + tn).toLocaleString("en-GB")}</td></tr>
        <tr><th>Total</th><td class="number">${(tp + fp).toLocaleString("en-GB")}</td><td class="number">${(fn + tn).toLocaleString("en-GB")}</td><td class="number">${total.toLocaleString("en-GB")}</td></tr>
      </tbody>
    </table>
  </figure>`;
}
