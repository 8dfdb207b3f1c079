import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {churnStage} from "../../loaders/stages/churn.js";
import {cleanStage} from "../../loaders/stages/clean.js";
import {customerFeaturesStage} from "../../loaders/stages/customer-features.js";
import {ingestStage} from "../../loaders/stages/ingest.js";
import {martsStage} from "../../loaders/stages/marts.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {copyShipped, workspace, type Workspace} from "../helpers/fixtures.js";
import {artefactRecords, lastRunStage, snapshotHashes} from "../helpers/refit.js";

/**
 * Churn fitted on a schedule, on the shipped data from 2010-12-01 to Wednesday 2011-03-16 (82 daily files):
 * the weekly fit uses the data through Sunday 2011-03-13, so the cut-off is 2010-12-13 (90 days before)
 * and its labels stop at 2011-03-13. Thursday 2011-03-17 is then added inside the week.
 */
const STAGES = [ingestStage, cleanStage, martsStage, customerFeaturesStage, churnStage];
const THROUGH_WEDNESDAY = 82;
const run = (space: Workspace) => runPipeline(space.options, {stages: STAGES});
const scores = (space: Workspace) =>
  readSnapshot<{customer_id: number; recency_days: number; churn_probability: number; as_of: string}>(
    space.warehouse,
    "churn_scores",
    "SELECT customer_id, recency_days, churn_probability, strftime(as_of, '%Y-%m-%d') AS as_of FROM t"
  );

describe("churn: fitted on the week, scored every day", () => {
  const incremental = workspace("retail-refit-churn-");
  const cold = workspace("retail-refit-churn-cold-");
  afterAll(() => {
    incremental.dispose();
    cold.dispose();
  });
  let before = new Map<number, {recency_days: number; churn_probability: number}>();

  it("fits on the customers labelled at the fit window's cut-off", async () => {
    copyShipped(incremental, THROUGH_WEDNESDAY);
    await run(incremental);
    expect(lastRunStage(incremental, "customer_features").detail).toContain("cut-off 2010-12-13 (fit window through 2011-03-13)");
    expect(lastRunStage(incremental, "churn").detail).toContain("fitted on data through 2011-03-13");
    // churn_metrics is internal (model_metrics, not run here, collects it): read it beside the snapshots.
    const dates = await readSnapshot<{fitted: string; scored: string}>(
      join(incremental.warehouse, "internal", ".."),
      "../internal/churn_metrics",
      "SELECT DISTINCT strftime(fitted_through, '%Y-%m-%d') AS fitted, strftime(scored_as_of, '%Y-%m-%d') AS scored FROM t"
    );
    expect(dates).toEqual([{fitted: "2011-03-13", scored: "2011-03-16"}]);
    before = new Map((await scores(incremental)).map((row) => [row.customer_id, row]));
  }, 240_000);

  it("re-uses the fit for a new day inside the week, and re-scores today's customers with it", async () => {
    const fits = artefactRecords(incremental, "churn");
    copyShipped(incremental, 1, THROUGH_WEDNESDAY);
    await run(incremental);
    expect(lastRunStage(incremental, "churn").detail).toContain("fit reused on data through 2011-03-13");
    expect(artefactRecords(incremental, "churn")).toEqual(fits);
    const buyers = await readSnapshot<{customer_id: number}>(
      incremental.warehouse,
      "sales",
      "SELECT DISTINCT customer_id FROM t WHERE invoice_date::DATE = DATE '2011-03-17' AND customer_id IS NOT NULL ORDER BY customer_id"
    );
    const after = new Map((await scores(incremental)).map((row) => [row.customer_id, row]));
    // Every customer who bought on the new day is scored as of the day after it with recency 1; one who had
    // been away a month or more gets a new probability from the same fit.
    for (const {customer_id} of buyers) expect(after.get(customer_id)).toMatchObject({recency_days: 1, as_of: "2011-03-18"});
    const returning = buyers.map(({customer_id}) => customer_id).find((id) => (before.get(id)?.recency_days ?? 0) > 30)!;
    expect(returning).toBeDefined();
    expect(after.get(returning)!.churn_probability).not.toBe(before.get(returning)!.churn_probability);
  }, 240_000);

  it("gives a cold run on the same files byte-identical snapshots and the same fit", async () => {
    copyShipped(cold, THROUGH_WEDNESDAY + 1);
    await run(cold);
    expect(lastRunStage(cold, "churn").detail).toContain("fitted on data through 2011-03-13");
    expect(snapshotHashes(cold)).toEqual(snapshotHashes(incremental));
    expect(artefactRecords(cold, "churn")).toEqual(artefactRecords(incremental, "churn"));
  }, 240_000);
});
