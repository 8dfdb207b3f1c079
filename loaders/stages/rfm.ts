import {readColumns, writeRows, columnsOf} from "../run/table-io.js";
import {fitWindowOf, writeMetrics} from "./model-io.js";
import type {Stage, StageContext} from "../run/stage.js";
import {CUSTOMER_MODEL_SNAPSHOTS} from "../schema/customer-models.js";
import {scoreRfm, type RfmScore} from "../../models/rfm/rfm.js";
import {RFM_SEGMENTS} from "../../models/rfm/segments.js";
import {rocAuc} from "../../models/metrics/roc.js";
import {mean, median} from "../../models/stats.js";
import {notEvaluatedRow, notFittedRow, type MetricRow} from "../../models/metrics.js";

/**
 * RFM analysis: quintile scores and named segments for every customer (from customer_metrics), a summary
 * per segment, and a back-test in time: the same scoring as of the churn cut-off (customer_features,
 * sample 'training') against whether each customer bought again in the 90 days after.
 */
export const rfmStage: Stage = {
  name: "rfm",
  description: "Score customers by recency, frequency and monetary value; name segments; back-test them",
  inputs: ["customer_metrics", "customer_features", "sales"],
  outputs: ["rfm_segments", "rfm_segment_summary", "rfm_segment_movement", "rfm_metrics"],
  module: "loaders/stages/rfm.ts",
  run: rfm
};

/** Segment of customers whose first purchase is after the cut-off, in rfm_segment_movement. */
export const NEW_SINCE_CUTOFF = "(new since cut-off)";

async function rfm({connection, options}: StageContext) {
  // Scored on all the data every run (not yet split into fit and score).
  const window = await fitWindowOf(connection, options.refit);
  const today = (await readColumns(
    connection,
    "SELECT customer_id, country, recency_days, frequency, monetary FROM customer_metrics ORDER BY customer_id"
  )) as {customer_id: Float64Array; country: string[]; recency_days: Float64Array; frequency: Float64Array; monetary: Float64Array};
  const scores = scoreRfm({recency: today.recency_days, frequency: today.frequency, monetary: today.monetary});
  await writeRows(
    connection,
    "rfm_segments",
    columnsOf(CUSTOMER_MODEL_SNAPSHOTS.rfm_segments.columns),
    scores.map((score, i) => ({
      customer_id: today.customer_id[i],
      country: today.country[i],
      recency_days: today.recency_days[i],
      frequency: today.frequency[i],
      monetary: today.monetary[i],
      r_score: score.r,
      f_score: score.f,
      m_score: score.m,
      rfm_cell: score.cell,
      rfm_score: score.total,
      segment: score.segment
    }))
  );

  // Back-test: the same scoring as of the cut-off, on the customers labelled there.
  const past = (await readColumns(
    connection,
    `SELECT customer_id, recency_days, frequency, monetary, churned, strftime(as_of, '%Y-%m-%d') AS as_of
     FROM customer_features WHERE sample = 'training' ORDER BY customer_id`
  )) as {customer_id: Float64Array; recency_days: Float64Array; frequency: Float64Array; monetary: Float64Array; churned: Float64Array; as_of: string[]};
  const cutoff = past.as_of[0] ?? null;
  const pastScores = scoreRfm({recency: past.recency_days, frequency: past.frequency, monetary: past.monetary});
  const bought = Float64Array.from(past.churned, (churned) => 1 - churned);

  await writeRows(
    connection,
    "rfm_segment_summary",
    columnsOf(CUSTOMER_MODEL_SNAPSHOTS.rfm_segment_summary.columns),
    summary(today, scores, pastScores, bought)
  );
  await writeRows(
    connection,
    "rfm_segment_movement",
    columnsOf(CUSTOMER_MODEL_SNAPSHOTS.rfm_segment_movement.columns),
    movement(today.customer_id, scores, past.customer_id, pastScores, cutoff)
  );

  const repurchased = bought.reduce((sum, value) => sum + value, 0);
  if (repurchased === 0 || repurchased === bought.length) {
    const why =
      scores.length === 0
        ? notFittedRow("rfm", "No customers with a customer id: RFM scores need identified customers.")
        : notEvaluatedRow(
            "rfm",
            "rfm_score",
            `Not back-tested: ${bought.length} customers were seen before ${cutoff ?? "the cut-off"}, ${repurchased} of whom bought again; the back-test needs some of each.`
          );
    await writeMetrics(connection, "rfm_metrics", [why], {
      fittedThrough: scores.length ? (window?.lastDay ?? null) : null,
      scoredAsOf: window?.lastDay ?? null
    });
    return {
      rowsIn: scores.length,
      rowsOut: scores.length,
      detail: `${scores.length} customers; no back-test (${bought.length} customers before the cut-off, ${repurchased} bought again)`
    };
  }
  const split = `time: scored as of ${cutoff} from earlier data only; outcome = a purchase from ${cutoff} to the end of the data (nothing is fitted)`;
  const total = rocAuc(
    Float64Array.from(pastScores, (score) => score.total),
    bought
  );
  const recencyOnly = rocAuc(
    Float64Array.from(pastScores, (score) => score.r),
    bought
  );
  const n = bought.length;
  const verdict =
    total > recencyOnly ? `beats the R score alone by ${(total - recencyOnly).toFixed(3)}` : `does NOT beat the R score alone (${recencyOnly.toFixed(3)})`;
  const rows: MetricRow[] = [
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
      value: mean(bought),
      n,
      details: "share of the scored customers who bought again (all segments)"
    }
  ];
  await writeMetrics(connection, "rfm_metrics", rows, {fittedThrough: window?.lastDay ?? null, scoredAsOf: window?.lastDay ?? null});
  const champions = scores.filter((score) => score.segment === "Champions").length;
  return {
    rowsIn: scores.length,
    rowsOut: scores.length,
    detail: `${scores.length} customers, ${champions} champions; back-test ROC-AUC ${total.toFixed(3)} (R alone ${recencyOnly.toFixed(3)})`
  };
}

function summary(
  today: {monetary: Float64Array; recency_days: Float64Array; frequency: Float64Array},
  scores: RfmScore[],
  pastScores: RfmScore[],
  bought: Float64Array
) {
  const totalRevenue = today.monetary.reduce((sum, value) => sum + value, 0);
  return RFM_SEGMENTS.map((segment, order) => {
    const members = scores.flatMap((score, i) => (score.segment === segment.name ? [i] : []));
    const past = pastScores.flatMap((score, i) => (score.segment === segment.name ? [i] : []));
    const revenue = members.reduce((sum, i) => sum + today.monetary[i], 0);
    return {
      segment: segment.name,
      rule: segment.rule,
      action: segment.description,
      display_order: order + 1,
      customers: members.length,
      customer_share: members.length / scores.length,
      revenue,
      revenue_share: totalRevenue ? revenue / totalRevenue : null,
      median_recency_days: median(members.map((i) => today.recency_days[i])),
      median_frequency: median(members.map((i) => today.frequency[i])),
      median_monetary: median(members.map((i) => today.monetary[i])),
      backtest_customers: past.length,
      backtest_repurchase_rate: past.length ? mean(past.map((i) => bought[i])) : null
    };
  });
}

function movement(ids: Float64Array, scores: RfmScore[], pastIds: Float64Array, pastScores: RfmScore[], cutoff: string | null) {
  const before = new Map<number, string>();
  pastIds.forEach((id, i) => before.set(id, pastScores[i].segment));
  const order = new Map<string, number>(RFM_SEGMENTS.map((segment, i) => [segment.name, i]));
  order.set(NEW_SINCE_CUTOFF, RFM_SEGMENTS.length);
  const counts = new Map<string, number>();
  const fromTotals = new Map<string, number>();
  ids.forEach((id, i) => {
    const from = before.get(id) ?? NEW_SINCE_CUTOFF;
    const key = `${from}\u0000${scores[i].segment}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    fromTotals.set(from, (fromTotals.get(from) ?? 0) + 1);
  });
  return [...counts]
    .map(([key, customers]) => {
      const [from, to] = key.split("\u0000");
      return {from_segment: from, to_segment: to, customers, share_of_from: customers / fromTotals.get(from)!, cutoff};
    })
    .sort((a, b) => order.get(a.from_segment)! - order.get(b.from_segment)! || order.get(a.to_segment)! - order.get(b.to_segment)!);
}
