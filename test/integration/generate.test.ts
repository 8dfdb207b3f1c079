import {copyFileSync, mkdirSync, readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {generate} from "../../scripts/generate.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {PROJECT_ROOT, workspace} from "../helpers/fixtures.js";

/** The benchmark data generator at 2×, and a full pipeline run over what it writes. */
const space = workspace("retail-generate-");
beforeAll(async () => {
  await generate({scale: 2, out: space.raw, source: join(PROJECT_ROOT, "data/raw/online-retail")});
});
afterAll(() => {
  space.dispose();
});

describe("generate", () => {
  it("writes one file per shipped day, with the source's header", () => {
    const files = readdirSync(join(space.raw, "online-retail")).sort();
    expect(files).toEqual(
      readdirSync(join(PROJECT_ROOT, "data/raw/online-retail"))
        .filter((name) => name.endsWith(".csv.gz"))
        .sort()
    );
  });

  it("is deterministic: the same scale gives the same bytes", async () => {
    const again = workspace("retail-generate-again-");
    const firstDays = workspace("retail-generate-source-");
    try {
      // Three days are enough to see the same bytes twice; both runs read the same source.
      for (const name of ["2010-12-01.csv.gz", "2011-06-15.csv.gz", "2011-12-09.csv.gz"]) {
        mkdirSync(join(firstDays.raw, "online-retail"), {recursive: true});
        copyFileSync(join(PROJECT_ROOT, "data/raw/online-retail", name), join(firstDays.raw, "online-retail", name));
      }
      await generate({scale: 2, out: again.dir, source: join(firstDays.raw, "online-retail")});
      await generate({scale: 2, out: join(again.dir, "second"), source: join(firstDays.raw, "online-retail")});
      for (const name of ["2010-12-01.csv.gz", "2011-06-15.csv.gz", "2011-12-09.csv.gz"]) {
        expect(readFileSync(join(again.dir, "online-retail", name)).equals(readFileSync(join(again.dir, "second", "online-retail", name))), name).toBe(true);
      }
    } finally {
      again.dispose();
      firstDays.dispose();
    }
  });

  it("rejects a scale that is not a positive integer", async () => {
    await expect(generate({scale: 0, out: space.dir})).rejects.toThrow("invalid scale; not a positive integer: 0");
  });
});

describe("the pipeline over 2× generated data", () => {
  beforeAll(async () => {
    await runPipeline(space.options);
  });

  /** Copy 0 is the shipped data as it is; copy 1 has invoice numbers shifted by a million. */
  const copy = "CASE WHEN TRY_CAST(regexp_extract(invoice_no, '[0-9]+$') AS BIGINT) >= 1000000 THEN 1 ELSE 0 END";

  it("holds the shipped data once as it is and once with shifted ids: the same counts in each copy", async () => {
    const facts = await readSnapshot(
      space.warehouse,
      "raw_lines",
      `SELECT ${copy} AS copy, count(*) AS lines, count(DISTINCT invoice_no) AS invoices,
        count(DISTINCT customer_id) AS customers, count(*) FILTER (WHERE invoice_no LIKE 'C%') AS cancellation_lines,
        count(*) FILTER (WHERE customer_id IS NULL) AS guest_lines,
        strftime(min(invoice_date), '%Y-%m-%d') AS first_day, strftime(max(invoice_date)::DATE, '%Y-%m-%d') AS last_day
      FROM t GROUP BY ALL ORDER BY copy`
    );
    const shipped = {
      lines: 541_909,
      invoices: 25_900,
      customers: 4_372,
      cancellation_lines: 9_288,
      guest_lines: 135_080,
      first_day: "2010-12-01",
      last_day: "2011-12-09"
    };
    expect(facts).toEqual([
      {copy: 0, ...shipped},
      {copy: 1, ...shipped}
    ]);
    const duplicates = await readSnapshot(
      space.warehouse,
      "excluded_lines",
      `SELECT ${copy} AS copy, count(*) AS n FROM t WHERE reason = 'duplicate' GROUP BY ALL ORDER BY copy`
    );
    expect(duplicates).toEqual([
      {copy: 0, n: 5_268},
      {copy: 1, n: 5_268}
    ]);
    expect(
      await readSnapshot(
        space.warehouse,
        "raw_lines",
        "SELECT invoice_no, stock_code, customer_id, strftime(invoice_date, '%H:%M') AS at FROM t WHERE invoice_no IN ('536365', '1536365') AND stock_code IN ('71053', '71053-1') ORDER BY invoice_no"
      )
    ).toEqual([
      {invoice_no: "1536365", stock_code: "71053-1", customer_id: 117850, at: "08:27"},
      {invoice_no: "536365", stock_code: "71053", customer_id: 17850, at: "08:26"}
    ]);
  });

  it("has twice the customers and products downstream, the same revenue in each copy, and passes every error check", async () => {
    expect(await readSnapshot(space.warehouse, "customer_metrics", "SELECT count(*) AS n FROM t")).toEqual([{n: 2 * 4_334}]);
    const products = await readSnapshot(
      space.warehouse,
      "product_performance",
      "SELECT count(*) FILTER (WHERE stock_code LIKE '%-1') AS copied, count(*) AS n FROM t"
    );
    expect(products[0].n).toBe(2 * (products[0].copied as number));
    const totals = await readSnapshot(
      space.warehouse,
      "sales",
      `SELECT ${copy} AS copy, round(sum(revenue), 2) AS revenue, round(sum(net_revenue), 2) AS net FROM t GROUP BY ALL ORDER BY copy`
    );
    expect(totals[1]).toEqual({...totals[0], copy: 1});
    expect(await readSnapshot(space.warehouse, "data_quality", `SELECT "check" FROM t WHERE severity = 'error' AND status <> 'pass'`)).toEqual([]);
  });
});
