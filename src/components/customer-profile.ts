/**
 * One customer at a glance, for the Customer lookup: RFM scores and segment, k-means segment, churn risk
 * with its top factors, and the purchase summary. Each value shown carries `data-field` and the exact
 * `data-value`, for tests and tools. Rows come from the snapshots of the same names; a missing part
 * (a customer the model did not score) says so instead of failing.
 */
import {riskBadge, riskLevelsText} from "./risk-levels.js";
import {html} from "htl";
import {formatChange, parseTopFactors} from "./churn-factors.js";
import {formatCount, formatMoney, formatPercent} from "./format.js";

export interface RfmRecord {
  segment: string;
  r_score: number;
  f_score: number;
  m_score: number;
  rfm_cell: string;
  rfm_score: number;
}

export interface KmeansRecord {
  segment: string;
  distance_to_centroid: number;
}

export interface ChurnRecord {
  churn_probability: number;
  risk_level: string;
  top_factors: string | null;
  expected_spend_90d: number;
  value_at_risk: number;
  value_at_risk_rank: number;
  as_of: Date;
}

export interface MetricsRecord {
  country: string;
  first_purchase: Date;
  last_purchase: Date;
  recency_days: number;
  frequency: number;
  monetary: number;
  revenue: number;
  returns_value: number;
  units: number;
  avg_order_value: number;
  distinct_products: number;
  tenure_days: number;
}

export interface CustomerRecord {
  id: number;
  rfm: RfmRecord | null;
  /** The RFM segment's rule and suggested action (rfm_segment_summary). */
  rfmSegment: {rule: string; action: string} | null;
  kmeans: KmeansRecord | null;
  /** How the k-means segment was named (segment_profiles.naming). */
  kmeansNaming: string | null;
  churn: ChurnRecord | null;
  metrics: MetricsRecord | null;
  /** Customers scored, for "rank 12 of 4,334". */
  customers: number;
}

const day = (date: Date | null | undefined) => (date ? date.toISOString().slice(0, 10) : "–");
const field = (name: string, value: unknown, text: string | Node) =>
  html`<span data-field=${name} data-value=${value === null || value === undefined ? "" : String(value)}>${text}</span>`;
const missing = (what: string) => html`<p class="muted">Not ${what}: the snapshot has no row for this customer.</p>`;

export function customerProfile(customer: CustomerRecord): HTMLElement {
  const {rfm, rfmSegment, kmeans, kmeansNaming, churn, metrics} = customer;
  return html`<div class="grid grid-cols-2" data-customer-profile=${String(customer.id)}>
    <div class="card" data-card="rfm">
      <h2>RFM segment</h2>
      ${
        rfm
          ? html`<span class="big">${field("rfm-segment", rfm.segment, rfm.segment)}</span>
        <p>Scores R ${field("r-score", rfm.r_score, String(rfm.r_score))} · F ${field("f-score", rfm.f_score, String(rfm.f_score))} · M ${field("m-score", rfm.m_score, String(rfm.m_score))}
        (cell ${field("rfm-cell", rfm.rfm_cell, rfm.rfm_cell)}, total ${rfm.rfm_score} of 15)${rfmSegment ? html`; rule: ${rfmSegment.rule}` : ""}.</p>
        ${rfmSegment ? html`<p class="muted">${rfmSegment.action}.</p>` : ""}`
          : missing("scored by RFM")
      }
    </div>
    <div class="card" data-card="kmeans">
      <h2>Customer segment</h2>
      ${
        kmeans
          ? html`<span class="big">${field("kmeans-segment", kmeans.segment, kmeans.segment)}</span>
        <p>Distance to the segment's centroid: ${kmeans.distance_to_centroid.toFixed(2)} (standardised units).</p>
        ${kmeansNaming ? html`<p class="muted">Named from its centroid: ${kmeansNaming}.</p>` : ""}`
          : missing("segmented")
      }
    </div>
    <div class="card" data-card="churn">
      <h2>Churn risk</h2>
      ${
        churn
          ? html`<span class="big">${field("churn-probability", churn.churn_probability, formatPercent(churn.churn_probability))}</span>
        <span class="muted">chance of no purchase in the 90 days after ${day(churn.as_of)}</span>
        <p>Risk level ${field("risk-level", churn.risk_level, riskBadge(churn.risk_level))} (${riskLevelsText()
          .replace(/^Risk level from the probability of no purchase in the next 90 days: /, "")
          .replace(/\.$/, "")}) · value at risk
        ${field("value-at-risk", churn.value_at_risk, formatMoney(churn.value_at_risk, {pence: true}))} of ${formatMoney(churn.expected_spend_90d, {pence: true})} expected 90-day spend
        (rank ${formatCount(churn.value_at_risk_rank)} of ${formatCount(customer.customers)}).</p>
        ${
          parseTopFactors(churn.top_factors).length
            ? html`<p>What raises the risk most:</p><ul class="factor-list" data-field="top-factors">${parseTopFactors(churn.top_factors).map(
                (factor) => html`<li>${factor.label}: <strong>${factor.value}</strong> <span class="muted">(${formatChange(factor.change)})</span></li>`
              )}</ul>`
            : html`<p class="muted">No feature raises this customer's risk.</p>`
        }`
          : missing("scored by the churn model")
      }
    </div>
    <div class="card" data-card="purchases">
      <h2>Purchases</h2>
      ${
        metrics
          ? html`<span class="big">${field("orders", metrics.frequency, formatCount(metrics.frequency))}</span> <span class="muted">order${metrics.frequency === 1 ? "" : "s"}, ${formatCount(metrics.units)} units of ${formatCount(metrics.distinct_products)} products</span>
        <p>First ${field("first-purchase", day(metrics.first_purchase), day(metrics.first_purchase))}, last ${field("last-purchase", day(metrics.last_purchase), day(metrics.last_purchase))}
        · recency ${formatCount(metrics.recency_days)} day${metrics.recency_days === 1 ? "" : "s"} · a customer for ${formatCount(metrics.tenure_days)} days.</p>
        <p>Spent ${field("revenue", metrics.revenue, formatMoney(metrics.revenue))} gross, ${field("monetary", metrics.monetary, formatMoney(metrics.monetary))} net of
        ${formatMoney(metrics.returns_value)} of cancellations; ${formatMoney(metrics.avg_order_value, {pence: true})} per order on average.</p>`
          : missing("found in customer_metrics")
      }
    </div>
  </div>`;
}
