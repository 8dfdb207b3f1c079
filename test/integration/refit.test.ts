import {readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {workspace, type Workspace} from "../helpers/fixtures.js";
import {addDays, artefactRecords, lastRunStage, packedDigests, snapshotHashes} from "../helpers/refit.js";

/**
 * Fit on a schedule, score on every run, on the shipped data's first days: Wednesday 2010-12-01 to
 * Sunday 2010-12-12 (no Saturdays; the shop is shut on them). With the default weekly refit the models
 * fit on the data through the last Sunday.
 */
const FITTED = ["anomalies", "basket", "forecast", "recommendations", "rfm", "segments"];
const artefacts = (space: Workspace) => FITTED.map((name) => artefactRecords(space, name));
/** Ten days of line items pack into less than the few megabytes a patch is worth: patch them all the same. */
const PATCH_ALL = {patchLimits: {minBytes: 0}};

describe("fitted artefacts and the refit policy", () => {
  const incremental = workspace("retail-refit-");
  const cold = workspace("retail-refit-cold-");
  afterAll(() => {
    incremental.dispose();
    cold.dispose();
  });

  it("fits on the data through the last complete week", async () => {
    addDays(incremental, "2010-12-01", "2010-12-02", "2010-12-03", "2010-12-05", "2010-12-06", "2010-12-07", "2010-12-08");
    await runPipeline(incremental.options);
    // Two weeks are too few to back-test a forecast: it says so, and the fit (of nothing) is still kept.
    expect(lastRunStage(incremental, "forecast").detail).toContain("not fitted (fitted on data through 2010-12-05)");
    expect(lastRunStage(incremental, "basket").detail).toContain("fitted on data through 2010-12-05");
    const dates = await readSnapshot<{model: string; fitted: string; scored: string}>(
      incremental.warehouse,
      "model_metrics",
      "SELECT DISTINCT model, strftime(fitted_through, '%Y-%m-%d') AS fitted, strftime(scored_as_of, '%Y-%m-%d') AS scored FROM t WHERE model IN ('basket', 'forecast') ORDER BY model"
    );
    expect(dates).toEqual([
      {model: "basket", fitted: "2010-12-05", scored: "2010-12-08"},
      {model: "forecast", fitted: null, scored: "2010-12-08"}
    ]);
  }, 180_000);

  it("re-uses the fit for a new day inside the week, and shows the new day's data", async () => {
    const before = artefacts(incremental);
    addDays(incremental, "2010-12-09");
    const run = await runPipeline(incremental.options, PATCH_ALL);
    // The site's line tables gain the day's rows by a patch (a fresh pack of the same rows is compared below).
    expect(run.site.patched.map((patch) => patch.name)).toEqual(expect.arrayContaining(["raw_lines", "sales", "orders"]));
    expect(run.site.patched.find((patch) => patch.name === "sales")).toMatchObject({inserted: expect.any(Number), deleted: 0});
    for (const name of FITTED) expect(lastRunStage(incremental, name).detail).toContain("fit reused on data through 2010-12-05");
    expect(artefacts(incremental)).toEqual(before);
    // Scoring is today's: the forecast's history has the new day's sales in its current week.
    const [{actual}] = await readSnapshot<{actual: number}>(
      incremental.warehouse,
      "sales_forecast",
      "SELECT revenue AS actual FROM t WHERE granularity = 'week' AND kind = 'actual' AND period_start = DATE '2010-12-06'"
    );
    const [{expected}] = await readSnapshot<{expected: number}>(
      incremental.warehouse,
      "daily_sales",
      "SELECT sum(revenue) AS expected FROM t WHERE date BETWEEN DATE '2010-12-06' AND DATE '2010-12-12'"
    );
    expect(actual).toBeCloseTo(expected, 6);
  }, 180_000);

  it("refits when a file completes the week, and --refit refits on demand", async () => {
    addDays(incremental, "2010-12-10", "2010-12-12");
    await runPipeline(incremental.options, PATCH_ALL);
    for (const name of FITTED) expect(lastRunStage(incremental, name).detail).toContain("fitted on data through 2010-12-12");
    const files = readdirSync(join(incremental.warehouse, "artefacts")).sort();
    // The week's fits replace the previous week's (pruned once no stage names them).
    expect(files.map((file) => file.split("-")[0])).toEqual(["anomalies", "basket", "forecast", "recommendations", "rfm", "segmentation"]);

    const again = await runPipeline({...incremental.options, forceRefit: true}, PATCH_ALL);
    expect(again.upToDate).toBe(false);
    for (const name of FITTED) {
      expect(lastRunStage(incremental, name)).toMatchObject({status: "ran", reason: "refit requested"});
      expect(lastRunStage(incremental, name).detail).toContain("fitted on data through 2010-12-12");
    }
  }, 240_000);

  it("gives a cold run on the same files byte-identical snapshots, the same fits and the same packed copies on the site", async () => {
    addDays(cold, "2010-12-01", "2010-12-02", "2010-12-03", "2010-12-05", "2010-12-06", "2010-12-07", "2010-12-08", "2010-12-09", "2010-12-10", "2010-12-12");
    await runPipeline(cold.options);
    expect(snapshotHashes(cold)).toEqual(snapshotHashes(incremental));
    expect(artefacts(cold)).toEqual(artefacts(incremental));
    expect(await packedDigests(incremental)).toEqual(await packedDigests(cold));
  }, 180_000);
});
