import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runPipeline, type RunSummary} from "../../loaders/pipeline.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {csv, HEADER, workspace} from "../helpers/fixtures.js";

/**
 * Too little history for the models: three customers over two months. RFM still scores them (fitted on the
 * two customers of the complete weeks); the
 * segmentation and churn stages publish empty snapshots (with their documented columns) and say why,
 * instead of failing the run.
 */
const space = workspace("retail-customers-small-");
let run: RunSummary;
beforeAll(async () => {
  space.write(
    "2011.csv",
    csv(
      HEADER,
      "1001,22423,MUG,2,2011-01-03 10:00:00,3.00,1,United Kingdom",
      "1002,22423,MUG,10,2011-01-20 10:00:00,3.00,2,France",
      "1003,85123A,PLATE,1,2011-02-25 10:00:00,5.00,1,United Kingdom",
      "1004,85123A,PLATE,4,2011-02-28 10:00:00,5.00,3,Germany"
    )
  );
  run = await runPipeline(space.options);
});
afterAll(() => space.dispose());

describe("customer models on too little data", () => {
  // The data ends on Monday 28 February 2011, so the breakpoints come from the customers as of Sunday 27
  // February: customer 1 (two orders, £11, last 3 days before 28 February) and 2 (one order, £30, 39 days).
  // A score is 1 + ⌊5 × share of those two with a strictly worse value⌋: recency 4–38 days beats one of them
  // (R 3), 40 days neither (R 1), 1 day both (R 5); two orders beat one (F 3), one order none (F 1); £11 beats
  // none (M 1), £20 or £30 one (M 3). Today (as of 1 March) customer 1 bought twice (£11, 4 days ago), 2 once
  // (£30, 40 days ago), 3 once (£20, 1 day ago).
  it("scores RFM for the few customers there are, against the breakpoints of the customers through the fit window", async () => {
    expect(await readSnapshot(space.warehouse, "rfm_segments", "SELECT customer_id, recency_days, frequency, rfm_cell, segment FROM t")).toEqual([
      {customer_id: 1, recency_days: 4, frequency: 2, rfm_cell: "331", segment: "Need attention"},
      {customer_id: 2, recency_days: 40, frequency: 1, rfm_cell: "113", segment: "Hibernating"},
      {customer_id: 3, recency_days: 1, frequency: 1, rfm_cell: "513", segment: "New"}
    ]);
  });

  it("publishes empty segmentation and churn snapshots and says why", async () => {
    for (const name of ["customer_segments", "segment_profiles", "segment_silhouettes", "churn_scores", "churn_curves", "churn_importance"]) {
      expect(await readSnapshot(space.warehouse, name, "SELECT count(*) AS n FROM t"), name).toEqual([{n: 0}]);
    }
    const detail = (name: string) => run.run.stages.find((stage) => stage.name === name)?.detail;
    expect(detail("segments")).toBe("not enough customers to segment (2 through 2011-02-27; needs 20): empty outputs");
    expect(detail("churn")).toBe("not enough history to train (0 churned and 0 retained customers before the cut-off; needs 10 of each): empty outputs");
  });
});
