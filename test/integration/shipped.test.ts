import {readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runPipeline, type RunSummary} from "../../loaders/pipeline.js";
import {readManifest} from "../../loaders/run/manifest.js";
import {SNAPSHOT_NAMES, SNAPSHOTS, STABLE_SNAPSHOTS} from "../../loaders/schema/index.js";
import {STAGES} from "../../loaders/stages/index.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {copyShipped, SHIPPED_FILES, workspace} from "../helpers/fixtures.js";

/** The shipped UCI Online Retail data, ingested cold once; then again incrementally, to compare. */
const cold = workspace("retail-cold-");
let coldRun: RunSummary;
beforeAll(async () => {
  copyShipped(cold);
  coldRun = await runPipeline(cold.options);
});
afterAll(() => cold.dispose());

const one = async (sql: string, name = "raw_lines") => (await readSnapshot(cold.warehouse, name, sql))[0];

describe("the shipped data, read the way any correct reading reads it", () => {
  it("has 541,909 input lines, all parsed and none quarantined", async () => {
    expect(coldRun.run.rows).toEqual({read: 541_909, parsed: 541_909, quarantined: 0});
    expect(await one("SELECT count(*) AS n FROM t")).toEqual({n: 541_909});
    expect(await one("SELECT count(*) AS n FROM t", "quarantine")).toEqual({n: 0});
  });

  it("has the known counts of duplicates, cancellations, guests, invoices, customers and countries", async () => {
    expect(
      await one(`SELECT
        count(*) FILTER (WHERE invoice_no LIKE 'C%') AS cancellation_lines,
        count(DISTINCT invoice_no) FILTER (WHERE invoice_no LIKE 'C%') AS cancellation_invoices,
        count(*) FILTER (WHERE customer_id IS NULL) AS lines_without_customer,
        count(DISTINCT invoice_no) AS invoices, count(DISTINCT customer_id) AS customers, count(DISTINCT country) AS countries,
        strftime(min(invoice_date), '%Y-%m-%d %H:%M') AS first, strftime(max(invoice_date), '%Y-%m-%d %H:%M') AS last
      FROM t`)
    ).toEqual({
      cancellation_lines: 9_288,
      cancellation_invoices: 3_836,
      lines_without_customer: 135_080,
      invoices: 25_900,
      customers: 4_372,
      countries: 38,
      first: "2010-12-01 08:26",
      last: "2011-12-09 12:50"
    });
    expect(await one("SELECT count(*) AS n FROM t WHERE reason = 'duplicate'", "excluded_lines")).toEqual({n: 5_268});
  });

  it("accounts for every line exactly once and passes every error check", async () => {
    const checks = await readSnapshot(cold.warehouse, "data_quality", `SELECT "check", status, observed FROM t WHERE severity = 'error'`);
    expect(checks.length).toBeGreaterThanOrEqual(13);
    for (const check of checks) expect(check, String(check.check)).toMatchObject({status: "pass"});
    expect(checks.find((check) => check.check === "reconcile_lines")).toEqual({check: "reconcile_lines", status: "pass", observed: 0});
    const count = async (name: string) => (await one("SELECT count(*) AS n FROM t", name)).n as number;
    const placed = (await count("sales")) + (await count("returns")) + (await count("excluded_lines"));
    expect(placed).toBe(541_909);
  });

  it("has the revenue an independent reading of the cleaning rules gives", async () => {
    // Recomputed here from raw_lines with plain SQL: distinct lines, no cancellations, positive quantity and price, products only.
    const independent = await one(`SELECT round(sum(quantity * unit_price), 2) AS revenue, count(*) AS lines FROM (
        SELECT DISTINCT invoice_no, stock_code, description, quantity, invoice_date, unit_price, customer_id, country FROM t)
      WHERE invoice_no NOT LIKE 'C%' AND quantity > 0 AND unit_price > 0
        AND upper(stock_code) NOT IN ('POST', 'DOT', 'M', 'C2', 'D', 'S', 'B', 'CRUK', 'PADS', 'AMAZONFEE', 'BANK CHARGES')
        AND NOT upper(stock_code) LIKE 'GIFT\\_%' ESCAPE '\\'`);
    expect(await one("SELECT round(sum(revenue), 2) AS revenue, count(*) AS lines FROM t", "sales")).toEqual(independent);
  });

  it("nets out the two huge orders that were cancelled minutes later", async () => {
    const big = await readSnapshot(
      cold.warehouse,
      "sales",
      "SELECT quantity, returned_quantity, net_revenue FROM t WHERE quantity IN (80995, 74215) ORDER BY quantity"
    );
    expect(big).toEqual([
      {quantity: 74_215, returned_quantity: 74_215, net_revenue: 0},
      {quantity: 80_995, returned_quantity: 80_995, net_revenue: 0}
    ]);
  });

  it("normalises stock codes and keeps fees out of sales", async () => {
    expect(
      await one("SELECT count(*) AS n FROM t WHERE stock_code <> upper(stock_code) OR stock_code IN ('POST', 'DOT', 'M', 'BANK CHARGES', 'AMAZONFEE')", "sales")
    ).toEqual({n: 0});
    expect(await one(`SELECT observed FROM t WHERE "check" = 'stock_code_case_variants'`, "data_quality")).toEqual({observed: 112});
  });

  it("flags only the periods the data does not wholly cover", async () => {
    expect(await readSnapshot(cold.warehouse, "monthly_sales", "SELECT DISTINCT strftime(month, '%Y-%m') AS month FROM t WHERE is_partial")).toEqual([
      {month: "2011-12"}
    ]);
    expect(
      await readSnapshot(cold.warehouse, "weekly_sales", "SELECT DISTINCT strftime(week_start, '%Y-%m-%d') AS week FROM t WHERE is_partial ORDER BY week")
    ).toEqual([{week: "2010-11-29"}, {week: "2011-12-05"}]);
    expect(await readSnapshot(cold.warehouse, "daily_sales", "SELECT DISTINCT strftime(date, '%Y-%m-%d') AS day FROM t WHERE is_partial")).toEqual([
      {day: "2011-12-09"}
    ]);
  });

  it("publishes every documented snapshot with exactly its documented columns", async () => {
    for (const name of SNAPSHOT_NAMES) {
      const columns = await readSnapshot(cold.warehouse, name, "SELECT column_name, column_type FROM (DESCRIBE t)");
      expect(
        columns.map((column) => `${column.column_name} ${column.column_type}`),
        name
      ).toEqual(Object.entries(SNAPSHOTS[name].columns).map(([column, spec]) => `${column} ${spec.type}`));
    }
  });

  it("records lineage for every snapshot: input files with hashes, code version, run", () => {
    const manifest = readManifest(cold.warehouse);
    expect(manifest.files).toHaveLength(305);
    expect(manifest.files[0]).toMatchObject({path: "online-retail/2010-12-01.csv.gz", sha256: expect.stringMatching(/^[0-9a-f]{64}$/)});
    const sales = manifest.tables.sales;
    expect(sales).toMatchObject({stage: "clean", rows: 522_537, runId: coldRun.run.runId, codeHash: expect.stringMatching(/^[0-9a-f]{16}$/)});
    expect(sales.inputs).toEqual([{name: "raw_lines", sha256: manifest.tables.raw_lines.sha256}]);
    expect(manifest.runs[0].stages.map((stage) => [stage.name, stage.status])).toEqual(STAGES.map((stage) => [stage.name, "ran"]));
  });
});

describe("incremental runs", () => {
  const space = workspace("retail-incremental-");
  afterAll(() => space.dispose());

  it("200 files then all 305 gives byte-identical snapshots to one cold run, reading only the new files", async () => {
    copyShipped(space, 200);
    const first = await runPipeline(space.options);
    expect(first.run.files.ingested).toBe(200);
    copyShipped(space, SHIPPED_FILES.length - 200, 200);
    const second = await runPipeline(space.options);
    expect(second.run.files).toMatchObject({total: 305, added: 105, ingested: 105});
    for (const name of STABLE_SNAPSHOTS) {
      const incremental = readFileSync(join(space.warehouse, "snapshots", `${name}.parquet`));
      const reference = readFileSync(join(cold.warehouse, "snapshots", `${name}.parquet`));
      expect(incremental.equals(reference), `${name}.parquet differs from the cold run's`).toBe(true);
    }
  });

  it("does nothing, and writes nothing, when nothing changed", async () => {
    const mtimes = SNAPSHOT_NAMES.map((name) => statSync(join(space.warehouse, "snapshots", `${name}.parquet`)).mtimeMs);
    const again = await runPipeline(space.options);
    expect(again.upToDate).toBe(true);
    expect(again.run.stages.every((stage) => stage.status === "skipped")).toBe(true);
    expect(SNAPSHOT_NAMES.map((name) => statSync(join(space.warehouse, "snapshots", `${name}.parquet`)).mtimeMs)).toEqual(mtimes);
  });

  it("re-runs every stage with --force but publishes nothing new when the bytes are the same", async () => {
    const forced = await runPipeline({...space.options, force: true});
    expect(forced.run.stages.every((stage) => stage.status === "ran")).toBe(true);
    expect(forced.changed).toEqual([]);
  });
});
