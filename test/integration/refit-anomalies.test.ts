import {copyFileSync, mkdirSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {DuckDBInstance} from "@duckdb/node-api";
import {queryRows} from "../../loaders/db.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {anomaliesStage} from "../../loaders/stages/anomalies.js";
import {cleanStage} from "../../loaders/stages/clean.js";
import {ingestStage} from "../../loaders/stages/ingest.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {HEADER, SHIPPED_FILES, SHIPPED_RAW, csv, workspace, type Workspace} from "../helpers/fixtures.js";
import {artefactRecords, lastRunStage, snapshotHashes} from "../helpers/refit.js";

/**
 * The anomaly baselines fitted on a schedule and every line scored on every run, on the shipped data's
 * first days (Wednesday 2010-12-01 to Sunday 2010-12-12; no Saturdays). With the default weekly refit the
 * baselines are fitted on the data through the last Sunday. A hand-made file on Thursday 2010-12-09 adds a
 * line at 100× a known product's price and a line of a product never sold before.
 */
const STAGES = [ingestStage, cleanStage, anomaliesStage];
const add = (space: Workspace, ...days: string[]) => {
  mkdirSync(join(space.raw, "online-retail"), {recursive: true});
  for (const day of days) {
    const file = SHIPPED_FILES.find((name) => name.startsWith(day))!;
    copyFileSync(join(SHIPPED_RAW, "online-retail", file), join(space.raw, "online-retail", file));
  }
};
const EXTRA = "extra/2010-12-09-manual.csv";
const addExtra = (space: Workspace) =>
  space.write(
    EXTRA,
    csv(
      HEADER,
      "999001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-09 18:00:00,255.0,17850.0,United Kingdom",
      "999002,99999Z,A PRODUCT FIRST SOLD TODAY,6,2010-12-09 18:05:00,2.0,17850.0,United Kingdom"
    )
  );
const run = (space: Workspace, refit = false) => runPipeline({...space.options, forceRefit: refit}, {stages: STAGES});
/** The robust detector's rows of anomalies_metrics (an internal table of the warehouse). */
async function metricRows(space: Workspace) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return await queryRows<{metric: string; value: number; n: number; fitted: string; scored: string; details: string}>(
      connection,
      `SELECT metric, value, n, strftime(fitted_through, '%Y-%m-%d') AS fitted, strftime(scored_as_of, '%Y-%m-%d') AS scored, details
       FROM read_parquet('${join(space.warehouse, "internal", "anomalies_metrics.parquet").replaceAll("'", "''")}') WHERE method = 'robust' ORDER BY metric`
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
/** The product's usual price as the fit sees it: exp of the median log price of its lines through `through`. */
const usualPrice = async (space: Workspace, through: string) =>
  (
    await readSnapshot<{usual: number}>(
      space.warehouse,
      "sales",
      `SELECT exp(median(ln(unit_price))) AS usual FROM t WHERE stock_code = '85123A' AND invoice_date::DATE <= DATE '${through}'`
    )
  )[0].usual;

describe("anomalies: baselines fitted on a schedule, every line scored on every run", () => {
  const incremental = workspace("retail-refit-anomalies-");
  const cold = workspace("retail-refit-anomalies-cold-");
  afterAll(() => {
    incremental.dispose();
    cold.dispose();
  });

  it("fits the baselines on the data through the last complete week", async () => {
    add(incremental, "2010-12-01", "2010-12-02", "2010-12-03", "2010-12-05", "2010-12-06", "2010-12-07", "2010-12-08");
    await run(incremental);
    expect(lastRunStage(incremental, "anomalies").detail).toContain("fitted on data through 2010-12-05");
    const rows = await metricRows(incremental);
    expect(rows.map((row) => [row.metric, row.fitted, row.scored])).toEqual([
      ["precision", "2010-12-05", "2010-12-08"],
      ["recall", "2010-12-05", "2010-12-08"],
      ["unscored_lines", "2010-12-05", "2010-12-08"]
    ]);
  }, 180_000);

  it("re-uses the fit for a new day inside the week and flags its new line at once; a new product is counted, not scored", async () => {
    const before = artefactRecords(incremental, "anomalies");
    const usual = await usualPrice(incremental, "2010-12-05");
    const unscoredBefore = (await metricRows(incremental)).find((row) => row.metric === "unscored_lines")!;
    add(incremental, "2010-12-09");
    addExtra(incremental);
    await run(incremental);
    expect(lastRunStage(incremental, "anomalies").detail).toContain("fit reused on data through 2010-12-05");
    expect(artefactRecords(incremental, "anomalies")).toEqual(before);
    const flagged = await readSnapshot<{kind: string; severity: string; typical: number; reason: string}>(
      incremental.warehouse,
      "anomalies",
      `SELECT kind, severity, typical_unit_price AS typical, reason FROM t WHERE source_file LIKE '%${EXTRA}'`
    );
    expect(flagged).toHaveLength(1);
    // 255 against the week's usual price (about £2.55–£2.95): at least 50× off, so Critical.
    expect(flagged[0]).toMatchObject({kind: "price", severity: "Critical"});
    expect(flagged[0].typical).toBeCloseTo(usual, 9);
    expect(flagged[0].reason).toContain("Unit price £255.00 is");
    // The lines of products first sold after 2010-12-05 (the hand-made one among them) are counted as not checked.
    const [newProducts] = await readSnapshot<{lines: number; products: number; total: number}>(
      incremental.warehouse,
      "sales",
      `SELECT count(*) FILTER (WHERE stock_code NOT IN (SELECT stock_code FROM t WHERE invoice_date::DATE <= DATE '2010-12-05'))::INTEGER AS lines,
         count(DISTINCT stock_code) FILTER (WHERE stock_code NOT IN (SELECT stock_code FROM t WHERE invoice_date::DATE <= DATE '2010-12-05'))::INTEGER AS products,
         count(*)::INTEGER AS total FROM t`
    );
    const unscored = (await metricRows(incremental)).find((row) => row.metric === "unscored_lines")!;
    expect(newProducts.lines).toBeGreaterThan(unscoredBefore.value);
    expect(unscored).toMatchObject({value: newProducts.lines, n: newProducts.total, fitted: "2010-12-05", scored: "2010-12-09"});
    expect(unscored.details).toBe(
      `${newProducts.lines} of ${newProducts.total} lines are not checked: they are of ${newProducts.products} products first sold after 2010-12-05, ` +
        "which have no baseline until the next refit includes them."
    );
    expect(lastRunStage(incremental, "anomalies").detail).toContain(
      `${newProducts.lines} lines of ${newProducts.products} products newer than the fit not checked`
    );
  }, 180_000);

  it("refits when a file completes the week (every line then has a baseline), and --refit refits on demand", async () => {
    add(incremental, "2010-12-10", "2010-12-12");
    await run(incremental);
    expect(lastRunStage(incremental, "anomalies").detail).toContain("fitted on data through 2010-12-12");
    const unscored = (await metricRows(incremental)).find((row) => row.metric === "unscored_lines")!;
    expect(unscored).toMatchObject({value: 0, fitted: "2010-12-12", scored: "2010-12-12"});
    const [flagged] = await readSnapshot<{typical: number}>(
      incremental.warehouse,
      "anomalies",
      `SELECT typical_unit_price AS typical FROM t WHERE source_file LIKE '%${EXTRA}'`
    );
    expect(flagged.typical).toBeCloseTo(await usualPrice(incremental, "2010-12-12"), 9);
    expect(readdirSync(join(incremental.warehouse, "artefacts")).map((file) => file.split("-")[0])).toEqual(["anomalies"]);

    await run(incremental, true);
    expect(lastRunStage(incremental, "anomalies")).toMatchObject({status: "ran", reason: "refit requested"});
    expect(lastRunStage(incremental, "anomalies").detail).toContain("fitted on data through 2010-12-12");
  }, 240_000);

  it("gives a cold run on the same files byte-identical snapshots and the same fit", async () => {
    add(cold, "2010-12-01", "2010-12-02", "2010-12-03", "2010-12-05", "2010-12-06", "2010-12-07", "2010-12-08", "2010-12-09", "2010-12-10", "2010-12-12");
    addExtra(cold);
    await run(cold);
    expect(snapshotHashes(cold)).toEqual(snapshotHashes(incremental));
    expect(artefactRecords(cold, "anomalies")).toEqual(artefactRecords(incremental, "anomalies"));
  }, 180_000);
});
