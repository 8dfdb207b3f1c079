import {copyFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {readManifest} from "../../loaders/run/manifest.js";
import {sha256File} from "../../loaders/run/files.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {SHIPPED_FILES, SHIPPED_RAW, workspace, type Workspace} from "../helpers/fixtures.js";

/**
 * Fit on a schedule, score on every run, on the shipped data's first days: Wednesday 2010-12-01 to
 * Sunday 2010-12-12 (no Saturdays; the shop is shut on them). With the default weekly refit the models
 * fit on the data through the last Sunday.
 */
const add = (space: Workspace, ...days: string[]) => {
  for (const day of days) {
    const file = SHIPPED_FILES.find((name) => name.startsWith(day))!;
    copyFileSync(join(SHIPPED_RAW, "online-retail", file), join(space.raw, file));
  }
};
const snapshots = (space: Workspace) =>
  Object.fromEntries(
    readdirSync(join(space.warehouse, "snapshots"))
      .filter((file) => file !== "pipeline_runs.parquet")
      .sort()
      .map((file) => [file, sha256File(join(space.warehouse, "snapshots", file))])
  );
const FITTED = ["anomalies", "basket", "forecast", "recommendations", "rfm", "segments"];
const stage = (space: Workspace, name: string) => readManifest(space.warehouse).runs[0].stages.find((entry) => entry.name === name)!;
const artefacts = (space: Workspace) =>
  FITTED.map((name) => readManifest(space.warehouse).stages[name].artefacts?.map((record) => `${record.model}@${record.fittedThrough}:${record.key}`));

describe("fitted artefacts and the refit policy", () => {
  const incremental = workspace("retail-refit-");
  const cold = workspace("retail-refit-cold-");
  afterAll(() => {
    incremental.dispose();
    cold.dispose();
  });

  it("fits on the data through the last complete week", async () => {
    add(incremental, "2010-12-01", "2010-12-02", "2010-12-03", "2010-12-05", "2010-12-06", "2010-12-07", "2010-12-08");
    await runPipeline(incremental.options);
    // Two weeks are too few to back-test a forecast: it says so, and the fit (of nothing) is still kept.
    expect(stage(incremental, "forecast").detail).toContain("not fitted (fitted on data through 2010-12-05)");
    expect(stage(incremental, "basket").detail).toContain("fitted on data through 2010-12-05");
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
    add(incremental, "2010-12-09");
    await runPipeline(incremental.options);
    for (const name of FITTED) expect(stage(incremental, name).detail).toContain("fit reused on data through 2010-12-05");
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
    add(incremental, "2010-12-10", "2010-12-12");
    await runPipeline(incremental.options);
    for (const name of FITTED) expect(stage(incremental, name).detail).toContain("fitted on data through 2010-12-12");
    const files = readdirSync(join(incremental.warehouse, "artefacts")).sort();
    // The week's fits replace the previous week's (pruned once no stage names them).
    expect(files.map((file) => file.split("-")[0])).toEqual(["anomalies", "basket", "forecast", "recommendations", "rfm", "segmentation"]);

    const again = await runPipeline({...incremental.options, forceRefit: true});
    expect(again.upToDate).toBe(false);
    for (const name of FITTED) {
      expect(stage(incremental, name)).toMatchObject({status: "ran", reason: "refit requested"});
      expect(stage(incremental, name).detail).toContain("fitted on data through 2010-12-12");
    }
  }, 240_000);

  it("gives a cold run on the same files byte-identical snapshots and the same fits", async () => {
    add(cold, "2010-12-01", "2010-12-02", "2010-12-03", "2010-12-05", "2010-12-06", "2010-12-07", "2010-12-08", "2010-12-09", "2010-12-10", "2010-12-12");
    await runPipeline(cold.options);
    expect(snapshots(cold)).toEqual(snapshots(incremental));
    expect(artefacts(cold)).toEqual(artefacts(incremental));
  }, 180_000);
});
