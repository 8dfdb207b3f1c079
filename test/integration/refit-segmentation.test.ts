import {afterAll, describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {cleanStage} from "../../loaders/stages/clean.js";
import {customersThrough} from "../../loaders/stages/customers-through.js";
import {ingestStage} from "../../loaders/stages/ingest.js";
import {martsStage} from "../../loaders/stages/marts.js";
import {segmentsStage} from "../../loaders/stages/segments.js";
import type {Fitted} from "../../models/dialect.js";
import type {SegmentationArtefact} from "../../models/segmentation/index.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {workspace} from "../helpers/fixtures.js";
import {addDays, artefactRecords, lastRunStage, snapshotHashes, storedFit, warehouseTables} from "../helpers/refit.js";

/**
 * Segmentation fitted on a schedule and scored on every run, on the shipped data's first days (Wednesday
 * 2010-12-01 to Sunday 2010-12-12, no Saturdays): k-means is fitted on the customers as they were at the end of
 * the last complete week, and today's customers are placed with the fitted scaler and centroids.
 */
const STAGES = [ingestStage, cleanStage, martsStage, segmentsStage];
const FIRST_WEEK = ["2010-12-01", "2010-12-02", "2010-12-03", "2010-12-05"];

describe("segmentation: fitted on the week, scored every day", () => {
  const incremental = workspace("retail-refit-segments-");
  const cold = workspace("retail-refit-segments-cold-");
  const firstWeek = workspace("retail-refit-segments-week-");
  afterAll(() => [incremental, cold, firstWeek].forEach((space) => space.dispose()));

  it("fits on the customers as of the last complete week and scores today's", async () => {
    addDays(incremental, ...FIRST_WEEK, "2010-12-06", "2010-12-07", "2010-12-08");
    await runPipeline(incremental.options, {stages: STAGES});
    expect(lastRunStage(incremental, "segments").detail).toContain("fitted on data through 2010-12-05");
    const [customers] = await readSnapshot<{n: number}>(incremental.warehouse, "customer_metrics", "SELECT count(*)::INTEGER AS n FROM t");
    const [segmented] = await readSnapshot<{n: number}>(incremental.warehouse, "customer_segments", "SELECT count(*)::INTEGER AS n FROM t");
    expect(segmented.n).toBe(customers.n);
    // The fit saw fewer customers than today's (those first seen from Monday 6 December are not in it).
    const fit = storedFit<Fitted<SegmentationArtefact>>(incremental, "segments");
    expect(fit.artefact.customers).toBeLessThan(customers.n);
    expect(fit.metrics.find((row) => row.metric === "silhouette" && row.role === "published")?.n).toBe(fit.artefact.customers);
  }, 180_000);

  it("re-uses the fit for a new day inside the week and gives a new customer a segment without refitting", async () => {
    const before = artefactRecords(incremental, "segments");
    addDays(incremental, "2010-12-09");
    await runPipeline(incremental.options, {stages: STAGES});
    expect(lastRunStage(incremental, "segments").detail).toContain("fit reused on data through 2010-12-05");
    expect(artefactRecords(incremental, "segments")).toEqual(before);
    const newcomers = await readSnapshot<{customer_id: number; recency_days: number; frequency: number; monetary: number}>(
      incremental.warehouse,
      "customer_metrics",
      "SELECT customer_id, recency_days, frequency, monetary FROM t WHERE first_purchase::DATE = DATE '2010-12-09' ORDER BY customer_id"
    );
    expect(newcomers.length).toBeGreaterThan(0);
    const {artefact} = storedFit<Fitted<SegmentationArtefact>>(incremental, "segments");
    const segments = await readSnapshot<{customer_id: number; segment_id: number; recency_z: number; monetary_z: number}>(
      incremental.warehouse,
      "customer_segments",
      `SELECT customer_id, segment_id, recency_z, monetary_z FROM t WHERE customer_id IN (${newcomers.map((row) => row.customer_id).join(", ")}) ORDER BY customer_id`
    );
    expect(segments.map((row) => row.customer_id)).toEqual(newcomers.map((row) => row.customer_id));
    newcomers.forEach((customer, i) => {
      // Standardised with the fitted scaler: z = (log1p(value) − fitted mean) / fitted sd, then the nearest fitted centroid.
      const [recency, frequency, monetary] = artefact.scalings;
      const z = [
        (Math.log1p(customer.recency_days) - recency.mean) / recency.sd,
        (Math.log1p(customer.frequency) - frequency.mean) / frequency.sd,
        (Math.log1p(Math.max(0, customer.monetary)) - monetary.mean) / monetary.sd
      ];
      expect(segments[i].recency_z).toBeCloseTo(z[0], 12);
      expect(segments[i].monetary_z).toBeCloseTo(z[2], 12);
      const distances = artefact.segments.map((segment) => Math.hypot(...segment.centroid.map((value, d) => value - z[d])));
      expect(segments[i].segment_id).toBe(distances.indexOf(Math.min(...distances)));
    });
  }, 180_000);

  it("refits when a file completes the week, and --refit refits on demand", async () => {
    addDays(incremental, "2010-12-10", "2010-12-12");
    await runPipeline(incremental.options, {stages: STAGES});
    expect(lastRunStage(incremental, "segments").detail).toContain("fitted on data through 2010-12-12");
    await runPipeline({...incremental.options, forceRefit: true}, {stages: STAGES});
    expect(lastRunStage(incremental, "segments")).toMatchObject({status: "ran", reason: "refit requested"});
  }, 240_000);

  it("gives a cold run on the same files byte-identical snapshots and the same fit", async () => {
    addDays(cold, ...FIRST_WEEK, "2010-12-06", "2010-12-07", "2010-12-08", "2010-12-09", "2010-12-10", "2010-12-12");
    await runPipeline(cold.options, {stages: STAGES});
    expect(snapshotHashes(cold)).toEqual(snapshotHashes(incremental));
    expect(artefactRecords(cold, "segments")).toEqual(artefactRecords(incremental, "segments"));
  }, 180_000);

  it("fits on customer_metrics as it was at the window's end: cancellations made later are not netted", async () => {
    addDays(firstWeek, ...FIRST_WEEK);
    await runPipeline(firstWeek.options, {stages: [ingestStage, cleanStage, martsStage]});
    const expected = await readSnapshot<{customer_id: number; recency_days: number; frequency: number; monetary: number}>(
      firstWeek.warehouse,
      "customer_metrics",
      "SELECT customer_id::DOUBLE AS customer_id, recency_days::DOUBLE AS recency_days, frequency::DOUBLE AS frequency, monetary FROM t ORDER BY customer_id"
    );
    const connection = await warehouseTables(cold, ["sales", "returns"]);
    const through = await customersThrough(connection, "2010-12-05");
    expect(
      Array.from(through.customer_id, (customer_id, i) => ({
        customer_id,
        recency_days: through.recency_days[i],
        frequency: through.frequency[i],
        monetary: through.monetary[i]
      }))
    ).toEqual(expected);
    // The replay matters: sales.net_revenue through that day already nets some cancellations made after it.
    const naive = await queryRows<{monetary: number}>(
      connection,
      `SELECT CAST(sum(CAST(net_revenue AS DECIMAL(18, 4))) AS DOUBLE) AS monetary FROM sales
       WHERE customer_id IS NOT NULL AND invoice_date::DATE <= DATE '2010-12-05' GROUP BY customer_id ORDER BY customer_id`
    );
    expect(naive.filter((row, i) => row.monetary !== expected[i].monetary).length).toBeGreaterThan(0);
    connection.closeSync();
  }, 180_000);
});
