import {afterAll, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {cleanStage} from "../../loaders/stages/clean.js";
import {customerFeaturesStage} from "../../loaders/stages/customer-features.js";
import {ingestStage} from "../../loaders/stages/ingest.js";
import {martsStage} from "../../loaders/stages/marts.js";
import {rfmStage} from "../../loaders/stages/rfm.js";
import type {Fitted} from "../../models/dialect.js";
import type {RfmArtefact} from "../../models/rfm/index.js";
import {quantileScores} from "../../models/rfm/scores.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {workspace} from "../helpers/fixtures.js";
import {addDays, artefactRecords, lastRunStage, snapshotHashes, storedFit} from "../helpers/refit.js";

/**
 * RFM fitted on a schedule and scored on every run, on the shipped data's first days (Wednesday 2010-12-01
 * to Sunday 2010-12-12, no Saturdays): quintile breakpoints from the customers as of the end of the last
 * complete week; today's customers scored against them. (Twelve days leave no back-test: nobody is seen
 * 90 days before the end.)
 */
const STAGES = [ingestStage, cleanStage, martsStage, customerFeaturesStage, rfmStage];
const DAYS = ["2010-12-01", "2010-12-02", "2010-12-03", "2010-12-05", "2010-12-06", "2010-12-07", "2010-12-08"];
type Row = {customer_id: number; recency_days: number; frequency: number; monetary: number; r_score: number; f_score: number; m_score: number};

describe("RFM: fitted on the week, scored every day", () => {
  const incremental = workspace("retail-refit-rfm-");
  const cold = workspace("retail-refit-rfm-cold-");
  afterAll(() => [incremental, cold].forEach((space) => space.dispose()));

  it("fits breakpoints on the customers as of the last complete week", async () => {
    addDays(incremental, ...DAYS);
    await runPipeline(incremental.options, {stages: STAGES});
    expect(lastRunStage(incremental, "rfm").detail).toContain("fitted on data through 2010-12-05");
    const {artefact} = storedFit<Fitted<RfmArtefact>>(incremental, "rfm");
    const [{n}] = await readSnapshot<{n: number}>(incremental.warehouse, "customer_metrics", "SELECT count(*)::INTEGER AS n FROM t");
    expect(artefact.customers).toBeLessThan(n);
    expect(await readSnapshot(incremental.warehouse, "rfm_segments", "SELECT count(*)::INTEGER AS n FROM t")).toEqual([{n}]);
  }, 180_000);

  it("re-uses the fit for a new day inside the week and scores that day's customers against the fitted breakpoints", async () => {
    const before = artefactRecords(incremental, "rfm");
    addDays(incremental, "2010-12-09");
    await runPipeline(incremental.options, {stages: STAGES});
    expect(lastRunStage(incremental, "rfm").detail).toContain("fit reused on data through 2010-12-05");
    expect(artefactRecords(incremental, "rfm")).toEqual(before);
    const rows = await readSnapshot<Row>(incremental.warehouse, "rfm_segments", "SELECT * FROM t ORDER BY customer_id");
    const {artefact} = storedFit<Fitted<RfmArtefact>>(incremental, "rfm");
    // Who bought on 9 December (recency 1 day) is as recent as the fit's most recent customers (who bought on
    // Sunday 5 December, 1 day before its reference day): the best R score anyone has today.
    const today = rows.filter((row) => row.recency_days === 1);
    expect(today.length).toBeGreaterThan(0);
    const best = Math.max(...rows.map((row) => row.r_score));
    for (const row of today) expect(row.r_score).toBe(best);
    // Each score is 1 + ⌊5 × share of the fitted customers with a strictly worse value⌋, capped at 5.
    const worse = (cuts: number[], value: number, higher: boolean) => 1 + cuts.filter((cut) => (higher ? value > cut : value < cut)).length;
    for (const row of rows) {
      expect(row.r_score).toBe(worse(artefact.recency.cuts, row.recency_days, false));
      expect(row.f_score).toBe(worse(artefact.frequency.cuts, row.frequency, true));
      expect(row.m_score).toBe(worse(artefact.monetary.cuts, row.monetary, true));
    }
    // Not today's ranks: the scores differ from quintiles among today's customers for some.
    const ranks = quantileScores(
      rows.map((row) => row.recency_days),
      "lower"
    );
    expect(rows.some((row, i) => row.r_score !== ranks[i])).toBe(true);
  }, 180_000);

  it("refits when a file completes the week, on the day's customers: then the scores are today's quintiles", async () => {
    addDays(incremental, "2010-12-10", "2010-12-12");
    await runPipeline(incremental.options, {stages: STAGES});
    expect(lastRunStage(incremental, "rfm").detail).toContain("fitted on data through 2010-12-12");
    const rows = await readSnapshot<Row>(incremental.warehouse, "rfm_segments", "SELECT * FROM t ORDER BY customer_id");
    expect(rows.map((row) => [row.r_score, row.f_score, row.m_score])).toEqual(
      rows.map((_, i) => [
        quantileScores(
          rows.map((row) => row.recency_days),
          "lower"
        )[i],
        quantileScores(
          rows.map((row) => row.frequency),
          "higher"
        )[i],
        quantileScores(
          rows.map((row) => row.monetary),
          "higher"
        )[i]
      ])
    );
  }, 240_000);

  it("gives a cold run on the same files byte-identical snapshots and the same fit", async () => {
    addDays(cold, ...DAYS, "2010-12-09", "2010-12-10", "2010-12-12");
    await runPipeline(cold.options, {stages: STAGES});
    expect(snapshotHashes(cold)).toEqual(snapshotHashes(incremental));
    expect(artefactRecords(cold, "rfm")).toEqual(artefactRecords(incremental, "rfm"));
  }, 180_000);
});
