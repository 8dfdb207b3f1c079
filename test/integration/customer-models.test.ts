import {DuckDBInstance} from "@duckdb/node-api";
import {kmeans as referenceKMeans} from "ml-kmeans";
import {cpSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {literal, queryRows, type Row} from "../../loaders/db.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {readColumns} from "../../loaders/run/table-io.js";
import {CUSTOMER_MODEL_SNAPSHOTS} from "../../loaders/schema/customer-models.js";
import {churnBaseSql, churnFeaturesSql} from "../../loaders/stages/churn-features.js";
import {churnStage} from "../../loaders/stages/churn.js";
import {cleanStage} from "../../loaders/stages/clean.js";
import {customerFeaturesStage} from "../../loaders/stages/customer-features.js";
import {ingestStage} from "../../loaders/stages/ingest.js";
import {martsStage} from "../../loaders/stages/marts.js";
import {rfmStage} from "../../loaders/stages/rfm.js";
import {segmentsStage} from "../../loaders/stages/segments.js";
import {CHURN_FEATURE_NAMES} from "../../models/churn/features.js";
import {fitChurn} from "../../models/churn/fit.js";
import {riskLevel} from "../../models/churn/risk.js";
import {rfmSegment} from "../../models/rfm/segments.js";
import {adjustedRandIndex} from "../../models/segmentation/rand-index.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {copyShipped, workspace} from "../helpers/fixtures.js";

/**
 * The customer models on the shipped data: one cold run of the stages they need, refitted daily. The quality
 * bars below are defined on issue 4's protocol, whose churn cut-off is the last day of the data − 90 days
 * (2011-09-10); `refit: "day"` is exactly that protocol. With the default weekly refit the cut-off is the
 * last complete week's end − 90 days (2011-09-05), and test/integration/refit-churn.test.ts covers that.
 */
const STAGES = [ingestStage, cleanStage, martsStage, customerFeaturesStage, rfmStage, segmentsStage, churnStage];
const MODEL_STAGES = [customerFeaturesStage, rfmStage, segmentsStage, churnStage];
const space = workspace("retail-customers-");
// Segmentation on the weekly fit (through 2011-12-04) meets its bars too except the hold-out ARI of its one
// seeded 30% hold-out, 0.855: across hold-out seeds it spans 0.85–0.97 there and 0.84–0.99 on all the data
// (seed 42 draws 0.988), so a single draw is noise around the 0.9 bar (refit-segmentation.test.ts checks the
// weekly fit's behaviour).
const options = {...space.options, refit: "day" as const};
beforeAll(async () => {
  copyShipped(space);
  await runPipeline(options, {stages: STAGES});
});
afterAll(() => space.dispose());

const snapshot = <T = Row>(name: string, sql = "SELECT * FROM t") => readSnapshot<T>(space.warehouse, name, sql);

/** Reads an internal (unpublished) table of the warehouse, e.g. customer_features or churn_metrics. */
async function internal<T = Row>(name: string, sql = "SELECT * FROM t"): Promise<T[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE VIEW t AS FROM read_parquet(${literal(join(space.warehouse, "internal", `${name}.parquet`))})`);
    return await queryRows<T>(connection, sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const metric = async (table: string, method: string, name: string, split = "holdout") =>
  (
    await internal<{value: number; n: number; details: string}>(
      table,
      `SELECT value, n, details FROM t WHERE method = '${method}' AND metric = '${name}' AND split LIKE '${split}%'`
    )
  )[0];

describe("RFM on the shipped data", () => {
  it("scores every customer and names the segment by the documented grid", async () => {
    const rows = await snapshot<{r_score: number; f_score: number; m_score: number; rfm_cell: string; rfm_score: number; segment: string}>("rfm_segments");
    expect(rows).toHaveLength(4_334);
    for (const row of rows) {
      expect(row.segment).toBe(rfmSegment(row.r_score, row.f_score));
      expect(row.rfm_cell).toBe(`${row.r_score}${row.f_score}${row.m_score}`);
      expect(row.rfm_score).toBe(row.r_score + row.f_score + row.m_score);
    }
    // Recency has few ties, so its quintiles are close to a fifth each.
    const quintiles = await snapshot<{share: number}>("rfm_segments", "SELECT count(*) / 4334 AS share FROM t GROUP BY r_score");
    for (const {share} of quintiles) (expect(share).toBeGreaterThan(0.17), expect(share).toBeLessThan(0.23));
  });

  it("summarises every segment, accounts for every customer's movement, and back-tests in time", async () => {
    const summary = await snapshot<{customers: number; revenue_share: number; backtest_repurchase_rate: number | null; segment: string}>("rfm_segment_summary");
    expect(summary).toHaveLength(10);
    expect(summary.reduce((sum, row) => sum + row.customers, 0)).toBe(4_334);
    expect(summary.reduce((sum, row) => sum + row.revenue_share, 0)).toBeCloseTo(1, 9);
    const rate = Object.fromEntries(summary.map((row) => [row.segment, row.backtest_repurchase_rate]));
    // Scored 90 days before the end, Champions bought again far more often than Hibernating customers.
    expect(rate.Champions).toBeGreaterThan(0.8);
    expect(rate.Hibernating).toBeLessThan(rate.Champions! / 2);
    expect(await snapshot("rfm_segment_movement", "SELECT sum(customers)::INTEGER AS n, strftime(min(cutoff), '%Y-%m-%d') AS cutoff FROM t")).toEqual([
      {n: 4_334, cutoff: "2011-09-10"}
    ]);
    const rfm = await metric("rfm_metrics", "rfm_score", "roc_auc", "time");
    const recency = await metric("rfm_metrics", "r_score", "roc_auc", "time");
    expect(rfm.n).toBe(3_368);
    expect(rfm.value).toBeGreaterThan(recency.value);
  });
});

describe("segmentation on the shipped data", () => {
  it("meets the bars: silhouette ≥ 0.33 at k = 4, no segment under 5%, ARI ≥ 0.9 across 5 seeds", async () => {
    const [chosen] = await snapshot<{k: number; silhouette: number; smallest_share: number}>(
      "segment_silhouettes",
      "SELECT k, silhouette, smallest_share FROM t WHERE chosen"
    );
    expect(chosen.k).toBe(4);
    expect(chosen.silhouette).toBeGreaterThanOrEqual(0.33);
    expect(chosen.smallest_share).toBeGreaterThanOrEqual(0.05);
    const stability = await metric("segmentation_metrics", "kmeans_log_rfm", "min_adjusted_rand_index", "all");
    expect(stability.value).toBeGreaterThanOrEqual(0.9);
    expect(stability.details).toContain("4 other seeds");
    expect((await metric("segmentation_metrics", "kmeans_log_rfm", "holdout_adjusted_rand_index")).value).toBeGreaterThanOrEqual(0.9);
    expect(await snapshot("segment_silhouettes", "SELECT list(k ORDER BY k) AS ks FROM t WHERE features = 'log_rfm_standardised'")).toEqual([
      {ks: [2, 3, 4, 5, 6, 7, 8]}
    ]);
  });

  it("publishes the partition ml-kmeans finds on the same coordinates (best of 5 seeded k-means++ starts)", async () => {
    const rows = await snapshot<{segment_id: number; recency_z: number; frequency_z: number; monetary_z: number}>(
      "customer_segments",
      "SELECT segment_id, recency_z, frequency_z, monetary_z FROM t ORDER BY customer_id"
    );
    const points = rows.map((row) => [row.recency_z, row.frequency_z, row.monetary_z]);
    const inertia = (labels: readonly number[]) => {
      const means = [0, 1, 2, 3].map((c) => {
        const members = points.filter((_, i) => labels[i] === c);
        return [0, 1, 2].map((d) => members.reduce((sum, point) => sum + point[d], 0) / members.length);
      });
      return points.reduce((sum, point, i) => sum + point.reduce((total, value, d) => total + (value - means[labels[i]][d]) ** 2, 0), 0);
    };
    const starts = [0, 1, 2, 3, 4].map((seed) => referenceKMeans(points, 4, {initialization: "kmeans++", seed, maxIterations: 300, tolerance: 0}).clusters);
    const reference = starts.reduce((best, labels) => (inertia(labels) < inertia(best) ? labels : best));
    const [published] = await snapshot<{inertia: number}>("segment_silhouettes", "SELECT inertia FROM t WHERE chosen");
    expect(Math.abs(inertia(reference) - published.inertia) / published.inertia).toBeLessThan(1e-9);
    expect(
      adjustedRandIndex(
        reference,
        rows.map((row) => row.segment_id)
      )
    ).toBe(1);
  });

  it("shows why the seed's features are useless: a high silhouette from one giant segment", async () => {
    const [seed] = await snapshot<{silhouette: number; largest_share: number}>(
      "segment_silhouettes",
      "SELECT silhouette, largest_share FROM t WHERE features = 'seed_spend_invoices_unscaled'"
    );
    expect(seed.silhouette).toBeGreaterThan(0.85);
    expect(seed.largest_share).toBeGreaterThan(0.95);
  });

  it("profiles and names the segments, and every customer has one", async () => {
    const profiles = await snapshot<{segment: string; customers: number; revenue_share: number}>("segment_profiles");
    expect(profiles).toHaveLength(4);
    expect(new Set(profiles.map((profile) => profile.segment)).size).toBe(4);
    expect(profiles.reduce((sum, profile) => sum + profile.customers, 0)).toBe(4_334);
    expect(profiles.reduce((sum, profile) => sum + profile.revenue_share, 0)).toBeCloseTo(1, 9);
    expect(await snapshot("customer_segments", "SELECT count(*) AS n, count(DISTINCT customer_id) AS customers FROM t")).toEqual([
      {n: 4_334, customers: 4_334}
    ]);
  });
});

describe("churn on the shipped data", () => {
  it("meets the ROC-AUC bar on held-out customers (mean of 5 seeded hold-outs) and beats recency alone", async () => {
    const forest = await metric("churn_metrics", "random_forest", "roc_auc", "repeated holdout");
    const recency = await metric("churn_metrics", "recency_only", "roc_auc", "repeated holdout");
    expect(forest.value).toBeGreaterThanOrEqual(0.75);
    expect(forest.details).toContain("meets the 0.75 bar on average");
    // The issue's reference for recency alone on this protocol: about 0.68.
    expect(recency.value).toBeGreaterThan(0.66);
    expect(recency.value).toBeLessThan(0.7);
    expect(forest.value - recency.value).toBeGreaterThan(0.05);
  });

  it("publishes the model card of the published hold-out honestly, verdicts included", async () => {
    const card = await internal<{method: string; role: string; metric: string; value: number; n: number; details: string}>(
      "churn_metrics",
      "SELECT method, role, metric, value, n, details FROM t WHERE split LIKE 'holdout%'"
    );
    const get = (method: string, name: string) => card.find((row) => row.method === method && row.metric === name)!;
    for (const row of card) expect(row.n).toBe(1_011);
    expect(new Set(card.map((row) => `${row.method}:${row.role}`))).toEqual(
      new Set(["random_forest:published", "logistic_regression:candidate", "recency_only:baseline"])
    );
    const forest = get("random_forest", "roc_auc");
    expect(forest.details).toContain(forest.value >= 0.75 ? "meets the 0.75 bar on this hold-out" : "below the 0.75 bar on this hold-out");
    expect(forest.value).toBeGreaterThan(get("recency_only", "roc_auc").value + 0.05);
    expect(get("random_forest", "pr_auc").value).toBeGreaterThan(get("random_forest", "churn_rate").value + 0.1);
    expect(get("random_forest", "brier_score").value).toBeLessThan(get("recency_only", "brier_score").value);
    const counts = ["true_positives", "false_positives", "true_negatives", "false_negatives"].map((name) => get("random_forest", name).value);
    expect(counts.reduce((sum, value) => sum + value, 0)).toBe(1_011);
    expect(counts[0] + counts[3]).toBe(get("random_forest", "churn_rate").value * 1_011);
  });

  it("publishes curves for every method, and importance for every feature", async () => {
    expect(await snapshot("churn_curves", "SELECT method, curve, count(*) > 1 AS points FROM t GROUP BY ALL ORDER BY ALL")).toEqual(
      ["logistic_regression", "random_forest", "recency_only"].flatMap((method) => ["calibration", "pr", "roc"].map((curve) => ({method, curve, points: true})))
    );
    expect(await snapshot("churn_curves", "SELECT sum(cases)::INTEGER AS n FROM t WHERE curve = 'calibration' AND method = 'random_forest'")).toEqual([
      {n: 1_011}
    ]);
    const importance = await snapshot<{feature: string}>("churn_importance", "SELECT feature FROM t ORDER BY importance_rank");
    expect(importance.map((row) => row.feature).sort()).toEqual([...CHURN_FEATURE_NAMES].sort());
  });

  it("scores every customer today with a probability, level, factors and value at risk", async () => {
    const scores = await snapshot<{
      churn_probability: number;
      risk_level: string;
      expected_spend_90d: number;
      value_at_risk: number;
      value_at_risk_rank: number;
      top_factors: string;
      as_of: Date;
    }>("churn_scores");
    expect(scores).toHaveLength(4_334);
    for (const score of scores) {
      expect(score.risk_level).toBe(riskLevel(score.churn_probability));
      expect(score.value_at_risk).toBeCloseTo(score.churn_probability * score.expected_spend_90d, 9);
    }
    expect(new Set(scores.map((score) => score.value_at_risk_rank)).size).toBe(4_334);
    expect(scores[0].as_of.toISOString().slice(0, 10)).toBe("2011-12-10");
    expect(scores.some((score) => score.top_factors.startsWith("Days since last purchase = "))).toBe(true);
  });
});

describe("no leakage", () => {
  it("computes the training features from pre-cut-off data only: hiding or rewriting everything after it changes nothing", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      for (const name of ["sales", "returns"]) {
        await connection.run(`CREATE TABLE ${name} AS FROM read_parquet(${literal(join(space.warehouse, "snapshots", `${name}.parquet`))})`);
      }
      const cutoff = "2011-09-10";
      // Columns that could carry later information (matched cancellations) are scrambled everywhere, and every
      // row from the cut-off on is dropped (cut) or rewritten: other quantities, prices, dates, customers.
      const scrambled = "* REPLACE (-1 AS returned_quantity, -1 AS net_quantity, -1.0 AS net_revenue)";
      await connection.run(`
        CREATE TABLE sales_cut AS SELECT ${scrambled} FROM sales WHERE invoice_date < DATE '${cutoff}';
        CREATE TABLE returns_cut AS SELECT * REPLACE (-1 AS matched_quantity, -1 AS unmatched_quantity) FROM returns WHERE invoice_date < DATE '${cutoff}';
        CREATE TABLE sales_rewritten AS
          SELECT ${scrambled} FROM sales WHERE invoice_date < DATE '${cutoff}'
          UNION ALL
          SELECT * REPLACE (quantity * 7 AS quantity, revenue * 7 AS revenue, invoice_date + INTERVAL 3 DAY AS invoice_date,
            customer_id + 1 AS customer_id, 'Narnia' AS country) FROM sales WHERE invoice_date >= DATE '${cutoff}';
        CREATE TABLE returns_rewritten AS
          SELECT * FROM returns_cut
          UNION ALL
          SELECT * REPLACE (quantity * 3 AS quantity, value * 3 AS value) FROM returns WHERE invoice_date >= DATE '${cutoff}';`);
      const features = async (sales: string, returns: string) => {
        await connection.run(churnBaseSql({sales, returns}, sales));
        return JSON.stringify(await readColumns(connection, `SELECT * EXCLUDE (expected_spend_90d) FROM (${churnFeaturesSql(cutoff, sales)})`));
      };
      const cut = await features("sales_cut", "returns_cut");
      expect(await features("sales_rewritten", "returns_rewritten")).toBe(cut);
      // …and they are exactly the features the pipeline trained on.
      const trained = await internal(
        "customer_features",
        `SELECT customer_id, country, ${CHURN_FEATURE_NAMES.join(", ")} FROM t WHERE sample = 'training' ORDER BY customer_id`
      );
      const fromCut = await queryRows(
        connection,
        `SELECT customer_id, country, ${CHURN_FEATURE_NAMES.join(", ")} FROM (${churnFeaturesSql(cutoff, "sales_cut")})`
      );
      expect(fromCut).toEqual(trained);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("a deliberately leaky variant (features as of the end of the data) scores about 1.0; the pipeline does not", async () => {
    const columns = `customer_id, ${CHURN_FEATURE_NAMES.join(", ")}, expected_spend_90d, churned`;
    const training = (await internal("customer_features", `SELECT ${columns} FROM t WHERE sample = 'training' ORDER BY customer_id`)) as Record<
      string,
      number
    >[];
    const now = new Map(
      (await internal("customer_features", `SELECT ${columns} FROM t WHERE sample = 'scoring'`)).map((row) => [
        row.customer_id as number,
        row as Record<string, number>
      ])
    );
    const asColumns = (rows: Record<string, number>[]) => CHURN_FEATURE_NAMES.map((name) => Float64Array.from(rows, (row) => row[name]));
    const leaky = training.map((row) => now.get(row.customer_id)!);
    const data = (rows: Record<string, number>[]) => ({
      customerIds: training.map((row) => row.customer_id),
      columns: asColumns(rows),
      labels: training.map((row) => row.churned),
      cutoff: "2011-09-10"
    });
    const leakyAuc = fitChurn(data(leaky), {repeats: 1}).evaluation.evaluations[0].rocAuc;
    const honestAuc = fitChurn(data(training), {repeats: 1}).evaluation.evaluations[0].rocAuc;
    expect(leakyAuc).toBeGreaterThan(0.99);
    expect(honestAuc).toBeLessThan(0.85);
    // The honest refit here is the published model: same data, same seed.
    expect(honestAuc).toBe((await metric("churn_metrics", "random_forest", "roc_auc")).value);
  });
});

describe("determinism", () => {
  it("gives byte-identical model snapshots when the model stages run again", async () => {
    const again = workspace("retail-customers-again-");
    try {
      cpSync(space.warehouse, again.warehouse, {recursive: true});
      const outputs = MODEL_STAGES.flatMap((stage) => stage.outputs);
      const file = (dir: string, name: string) => join(dir, name in CUSTOMER_MODEL_SNAPSHOTS ? "snapshots" : "internal", `${name}.parquet`);
      for (const name of outputs) rmSync(file(again.warehouse, name));
      const run = await runPipeline({...options, forceRefit: true, warehouseDir: again.warehouse}, {stages: STAGES});
      expect(run.run.stages.filter((stage) => stage.status === "ran").map((stage) => stage.name)).toEqual(MODEL_STAGES.map((stage) => stage.name));
      for (const name of outputs) {
        expect(readFileSync(file(again.warehouse, name)).equals(readFileSync(file(space.warehouse, name))), `${name} differs`).toBe(true);
      }
    } finally {
      again.dispose();
    }
  });
});
