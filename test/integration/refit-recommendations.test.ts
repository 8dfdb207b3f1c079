import {readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {sha256File} from "../../loaders/run/files.js";
import {cleanStage} from "../../loaders/stages/clean.js";
import {ingestStage} from "../../loaders/stages/ingest.js";
import {martsStage} from "../../loaders/stages/marts.js";
import {recommendationsStage} from "../../loaders/stages/recommendations.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {workspace, type Workspace} from "../helpers/fixtures.js";
import {addDays, artefactRecords, lastRunStage} from "../helpers/refit.js";

/**
 * Recommendations fitted on a schedule and scored on every run, on the shipped data's first days
 * (Wednesday 2010-12-01 to Sunday 2010-12-12): with the default weekly refit the fit uses the data
 * through Sunday 2010-12-05, and a day added inside the next week is scored with that fit.
 */
const STAGES = [ingestStage, cleanStage, martsStage, recommendationsStage];
const snapshots = (space: Workspace) =>
  Object.fromEntries(
    ["snapshots/recommendations.parquet", "internal/recommendations_metrics.parquet"].map((file) => [file, sha256File(join(space.warehouse, file))])
  );
const FIRST_WEEK = ["2010-12-01", "2010-12-02", "2010-12-03", "2010-12-05", "2010-12-06", "2010-12-07", "2010-12-08"];
const NEW_CUSTOMER = " (new customer since the fit on data through 2010-12-05)";

describe("recommendations: fit on the week, score every day", () => {
  const incremental = workspace("retail-refit-recs-");
  const cold = workspace("retail-refit-recs-cold-");
  afterAll(() => {
    incremental.dispose();
    cold.dispose();
  });

  it("fits on the data through the last complete week", async () => {
    addDays(incremental, ...FIRST_WEEK);
    await runPipeline(incremental.options, {stages: STAGES});
    expect(lastRunStage(incremental, "recommendations").detail).toContain("; fitted on data through 2010-12-05");
    const [dates] = await readSnapshot<{fitted: string; scored: string}>(
      incremental.warehouse,
      "recommendations",
      `SELECT DISTINCT strftime(fitted_through, '%Y-%m-%d') AS fitted, strftime(scored_as_of, '%Y-%m-%d') AS scored
       FROM read_parquet('${join(incremental.warehouse, "internal", "recommendations_metrics.parquet").replaceAll("'", "''")}')`
    );
    expect(dates).toEqual({fitted: "2010-12-05", scored: "2010-12-08"});
  }, 180_000);

  it("re-uses the fit for a new day inside the week, and the day's purchases are in the lists at once", async () => {
    const before = artefactRecords(incremental, "recommendations");
    addDays(incremental, "2010-12-09");
    await runPipeline(incremental.options, {stages: STAGES});
    expect(lastRunStage(incremental, "recommendations").detail).toContain("; fit reused on data through 2010-12-05");
    expect(artefactRecords(incremental, "recommendations")).toEqual(before);
    const recsPath = `read_parquet('${join(incremental.warehouse, "snapshots", "recommendations.parquet").replaceAll("'", "''")}')`;
    const query = (sql: string) => readSnapshot<Record<string, number>>(incremental.warehouse, "sales", sql.replaceAll("{recommendations}", recsPath));
    const [facts] = await query(`
      WITH bought AS (SELECT customer_id, stock_code, max(invoice_date)::DATE AS last FROM t WHERE customer_id IS NOT NULL AND net_quantity > 0 GROUP BY ALL),
      firsts AS (SELECT customer_id, min(invoice_date)::DATE AS first FROM t WHERE customer_id IS NOT NULL AND net_quantity > 0 GROUP BY ALL),
      r AS (SELECT * FROM {recommendations})
      SELECT
        (SELECT count(DISTINCT customer_id) FROM bought)::INTEGER AS customers,
        (SELECT count(DISTINCT customer_id) FROM r)::INTEGER AS listed,
        -- bought on the new day: never a discover product, and a buy-again one says so
        (SELECT count(*) FROM r JOIN bought USING (customer_id, stock_code) WHERE bought.last = DATE '2010-12-09' AND r.mode = 'discover')::INTEGER AS rediscovered,
        (SELECT count(*) FROM r JOIN bought USING (customer_id, stock_code) WHERE bought.last = DATE '2010-12-09' AND r.mode = 'buy_again')::INTEGER AS againToday,
        (SELECT count(*) FROM r JOIN bought USING (customer_id, stock_code) WHERE bought.last = DATE '2010-12-09' AND r.mode = 'buy_again'
           AND r.bought_before AND r.reason LIKE '%, last on 2010-12-09%')::INTEGER AS againTodaySaid,
        -- customers first seen after the fit's window have no factors: every row says so, and none claims similar customers
        (SELECT count(DISTINCT customer_id) FROM firsts WHERE first > DATE '2010-12-05')::INTEGER AS newCustomers,
        (SELECT count(DISTINCT r.customer_id) FROM r JOIN firsts USING (customer_id) WHERE first > DATE '2010-12-05')::INTEGER AS newListed,
        (SELECT count(*) FROM r JOIN firsts USING (customer_id) WHERE first > DATE '2010-12-05' AND NOT ends_with(reason, '${NEW_CUSTOMER}'))::INTEGER AS newUnsaid,
        (SELECT count(*) FROM r JOIN firsts USING (customer_id) WHERE first > DATE '2010-12-05' AND reason LIKE 'liked by customers%')::INTEGER AS newSimilar,
        (SELECT count(*) FROM r JOIN firsts USING (customer_id) WHERE first <= DATE '2010-12-05' AND ends_with(reason, '${NEW_CUSTOMER}'))::INTEGER AS oldSaid
      FROM (SELECT 1)`);
    expect(facts.newCustomers).toBeGreaterThan(0);
    expect(facts.againToday).toBeGreaterThan(0);
    expect(facts).toEqual({
      customers: facts.customers,
      listed: facts.customers,
      rediscovered: 0,
      againToday: facts.againToday,
      againTodaySaid: facts.againToday,
      newCustomers: facts.newCustomers,
      newListed: facts.newCustomers,
      newUnsaid: 0,
      newSimilar: 0,
      oldSaid: 0
    });
  }, 180_000);

  it("gives a cold run on the same files byte-identical lists, metrics and fit", async () => {
    addDays(cold, ...FIRST_WEEK, "2010-12-09");
    await runPipeline(cold.options, {stages: STAGES});
    expect(lastRunStage(cold, "recommendations").detail).toContain("; fitted on data through 2010-12-05");
    expect(snapshots(cold)).toEqual(snapshots(incremental));
    expect(artefactRecords(cold, "recommendations")).toEqual(artefactRecords(incremental, "recommendations"));
    expect(readdirSync(join(cold.warehouse, "artefacts")).filter((file) => file.startsWith("recommendations-"))).toHaveLength(1);
  }, 180_000);
});
