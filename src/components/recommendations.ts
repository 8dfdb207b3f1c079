/**
 * The Recommendations page's pieces: reading a customer number someone typed, the evaluation from
 * `model_metrics` (precision@10 and recall@10 per method and mode), and the top-10 tables.
 */
import {html} from "htl";
import {formatPercent} from "./format.js";
import {roleLabel, type MetricRow} from "./model-metrics.js";

export type Mode = "buy_again" | "discover";

export const MODES: readonly Mode[] = ["buy_again", "discover"];

export const MODE_LABELS: Readonly<Record<Mode, string>> = {
  buy_again: "Buy again",
  discover: "Discover"
};

export const MODE_DESCRIPTIONS: Readonly<Record<Mode, string>> = {
  buy_again: "any product, including ones the customer bought before",
  discover: "only products the customer has never bought"
};

/** Issue 5's quality bars for precision@10 on the last 30 days. */
export const PRECISION_BARS: Readonly<Record<Mode, number>> = {buy_again: 0.3, discover: 0.06};

/** Plain names of the recommender's methods as model_metrics names them (`<method>:<mode>`). */
export const RECOMMENDER_LABELS: Readonly<Record<string, string>> = {
  blend: "Blend: own history + what sells now + ALS",
  own_history: "Own history (recency-weighted × repeat rate)",
  als: "Implicit ALS alone",
  most_bought: "The customer's own most-bought products",
  popularity: "Popularity (all time)",
  recent_popularity: "Popularity (last 30 days)"
};

export interface RecommenderScore {
  method: string;
  mode: Mode;
  role: MetricRow["role"];
  precision: number;
  recall: number | null;
  /** Customers evaluated. */
  n: number;
  details: string;
  split: string;
}

/** precision@10 and recall@10 per method and mode, from model_metrics rows of model `recommendations`. */
export function recommenderScores(rows: readonly MetricRow[]): RecommenderScore[] {
  const own = rows.filter((row) => row.model === "recommendations" && row.metric === "precision_at_10");
  return own.map((row) => {
    const [method, mode] = row.method.split(":") as [string, Mode];
    const recall = rows.find((other) => other.model === "recommendations" && other.method === row.method && other.metric === "recall_at_10");
    return {method, mode, role: row.role, precision: row.value, recall: recall?.value ?? null, n: row.n, details: row.details ?? "", split: row.split};
  });
}

/** Whether the published method beats the best baseline in a mode, in numbers and in words. */
export function recommenderVerdict(
  scores: readonly RecommenderScore[],
  mode: Mode
): {text: string; beats: boolean | null; published: RecommenderScore | null; baseline: RecommenderScore | null} {
  const inMode = scores.filter((score) => score.mode === mode);
  const published = inMode.find((score) => score.role === "published") ?? null;
  const baseline = inMode
    .filter((score) => score.role === "baseline")
    .reduce<RecommenderScore | null>((best, score) => (!best || score.precision > best.precision ? score : best), null);
  if (!published) return {text: `${MODE_LABELS[mode]}: not evaluated (see model_metrics).`, beats: null, published, baseline};
  const bar = PRECISION_BARS[mode];
  const label = (score: RecommenderScore) => (RECOMMENDER_LABELS[score.method] ?? score.method).toLowerCase();
  const beats = baseline ? published.precision > baseline.precision : null;
  const text =
    `${MODE_LABELS[mode]} (${MODE_DESCRIPTIONS[mode]}): on average ${(10 * published.precision).toFixed(1)} of the 10 recommended products were bought in the test month ` +
    `(precision@10 ${published.precision.toFixed(3)}, recall@10 ${published.recall === null ? "—" : published.recall.toFixed(3)}, ${published.n.toLocaleString("en-GB")} customers)` +
    (baseline
      ? `, against ${baseline.precision.toFixed(3)} for the best baseline, ${label(baseline)}: ${beats ? `it beats it by ${formatPercent(published.precision / baseline.precision - 1, 0)}` : "it does not beat it"}`
      : "") +
    `. The target, ${bar.toFixed(2)}, is ${published.precision >= bar ? "met" : "not met"}.`;
  return {text, beats, published, baseline};
}

/** One row of `recommendations` as the page queries it. */
export interface RecommendationRow {
  mode: Mode;
  rank: number;
  stock_code: string;
  description: string | null;
  score: number;
  bought_before: boolean;
  reason: string;
}

/**
 * A customer's top 10 in one mode: rank, product, score (comparable within the list only), reason. The
 * table carries `data-recommendations=<mode>`; rows carry `data-rank`, `data-stock-code`, `data-score`.
 */
export function recommendationTable(rows: readonly RecommendationRow[], {mode}: {mode: Mode}): HTMLElement {
  const own = rows.filter((row) => row.mode === mode).sort((a, b) => a.rank - b.rank);
  const top = Math.max(...own.map((row) => row.score), 0);
  return html`<div class="recommendations">
    <h3>${MODE_LABELS[mode]} <small>${MODE_DESCRIPTIONS[mode]}</small></h3>
    ${
      own.length === 0
        ? html`<p class="empty">No ${MODE_LABELS[mode].toLowerCase()} recommendations for this customer.</p>`
        : html`<table class="model-table" data-recommendations=${mode}>
      <thead><tr><th class="num">#</th><th>Product</th><th class="num">Score</th><th>Why</th></tr></thead>
      <tbody>${own.map(
        (row) => html`<tr data-rank=${String(row.rank)} data-stock-code=${row.stock_code} data-score=${String(row.score)}>
        <td class="num">${row.rank}</td>
        <td>${row.description ?? row.stock_code} <code>${row.stock_code}</code>${row.bought_before ? html` <span class="tag" title="The customer has bought it before">bought before</span>` : ""}</td>
        <td class="num"><span class="score-bar" style="--share:${top > 0 ? (row.score / top).toFixed(3) : 0}"></span>${row.score.toFixed(3)}</td>
        <td>${row.reason}</td>
      </tr>`
      )}</tbody>
    </table>`
    }
  </div>`;
}

/** The evaluation as a table: one row per method, precision@10 and recall@10 per mode. */
export function recommenderTable(scores: readonly RecommenderScore[]): HTMLElement {
  const methods = [...new Set(scores.map((score) => score.method))];
  const order = (method: string) => {
    const roles = scores.filter((score) => score.method === method).map((score) => score.role);
    return roles.includes("published") ? 0 : roles.includes("candidate") ? 1 : 2;
  };
  methods.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const cell = (method: string, mode: Mode) => scores.find((score) => score.method === method && score.mode === mode);
  return html`<table class="model-table" data-evaluation="recommendations">
    <thead>
      <tr><th rowspan="2">Method</th><th rowspan="2">Role</th>${MODES.map((mode) => html`<th colspan="2" class="num">${MODE_LABELS[mode]}</th>`)}</tr>
      <tr>${MODES.flatMap(() => [html`<th class="num">Precision@10</th>`, html`<th class="num">Recall@10</th>`])}</tr>
    </thead>
    <tbody>${methods.map((method) => {
      const any = scores.find((score) => score.method === method)!;
      return html`<tr data-method=${method} class=${any.role}>
        <td>${RECOMMENDER_LABELS[method] ?? method}</td><td>${roleLabel(any.role)}</td>
        ${MODES.flatMap((mode) => {
          const score = cell(method, mode);
          return score
            ? [
                html`<td class="num" data-mode=${mode} data-precision=${String(score.precision)}>${score.precision.toFixed(3)}</td>`,
                html`<td class="num" data-mode=${mode} data-recall=${String(score.recall)}>${score.recall === null ? "—" : score.recall.toFixed(3)}</td>`
              ]
            : [html`<td class="num">—</td>`, html`<td class="num">—</td>`];
        })}
      </tr>`;
    })}</tbody>
  </table>`;
}
