import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {DEFAULT_NON_PRODUCT_CODES} from "../../loaders/config.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {generate} from "../../scripts/generate.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {copyShipped, PROJECT_ROOT, workspace} from "../helpers/fixtures.js";

/** The benchmark data generator at 2×, and a full pipeline run over what it writes. */
const space = workspace("retail-generate-");
const shipped = workspace("retail-generate-shipped-");
beforeAll(async () => {
  await generate({scale: 2, out: space.raw, source: join(PROJECT_ROOT, "data/raw/online-retail")});
});
afterAll(() => {
  space.dispose();
  shipped.dispose();
});

describe("generate", () => {
  it("writes one file per shipped day, with the source's header", () => {
    const files = readdirSync(join(space.raw, "online-retail")).sort();
    expect(files).toEqual(readdirSync(join(PROJECT_ROOT, "data/raw/online-retail")).filter((name) => name.endsWith(".csv.gz")).sort());
  });

  it("is deterministic: the same scale gives the same bytes", async () => {
    const again = workspace("retail-generate-again-");
    try {
      await generate({scale: 2, out: again.raw, source: join(PROJECT_ROOT, "data/raw/online-retail")});
      for (const name of ["2010-12-01.csv.gz", "2011-06-15.csv.gz", "2011-12-09.csv.gz"]) {
        expect(readFileSync(join(again.raw, "online-retail", name)).equals(readFileSync(join(space.raw, "online-retail", name))), name).toBe(true);
      }
    } finally {
      again.dispose();
    }
  });

  it("rejects a scale that is not a positive integer", async () => {
    await expect(generate({scale: 0, out: space.dir})).rejects.toThrow("invalid scale; not a positive integer: 0");
  });
});

describe("the pipeline over 2× generated data", () => {
  beforeAll(async () => {
    await runPipeline(space.options);
    copyShipped(shipped);
    await runPipeline(shipped.options);
  });

  it("has twice the lines, invoices, customers, products, duplicates and cancellations, and shifted ids", async () => {
    const facts = `SELECT count(*) AS lines, count(DISTINCT invoice_no) AS invoices, count(DISTINCT customer_id) AS customers,
        count(DISTINCT upper(stock_code)) AS codes, count(*) FILTER (WHERE invoice_no LIKE 'C%') AS cancellations,
        strftime(min(invoice_date), '%Y-%m-%d') AS first_day, strftime(max(invoice_date)::DATE, '%Y-%m-%d') AS last_day FROM t`;
    const [one] = await readSnapshot(shipped.warehouse, "raw_lines", facts);
    const [two] = await readSnapshot(space.warehouse, "raw_lines", facts);
    // Fees and adjustments keep their codes in every copy; every product code is copied.
    const nonProductCodes = (
      await readSnapshot(shipped.warehouse, "raw_lines", `SELECT count(DISTINCT upper(stock_code)) AS n FROM t
        WHERE upper(stock_code) IN (${DEFAULT_NON_PRODUCT_CODES.map((code) => `'${code}'`).join(", ")}) OR upper(stock_code) LIKE 'GIFT%'`)
    )[0].n as number;
    expect(two).toEqual({
      lines: 2 * (one.lines as number), invoices: 2 * (one.invoices as number), customers: 2 * (one.customers as number),
      codes: 2 * (one.codes as number) - nonProductCodes, cancellations: 2 * (one.cancellations as number),
      first_day: one.first_day, last_day: one.last_day
    });
    const dup = async (warehouse: string) => (await readSnapshot(warehouse, "excluded_lines", "SELECT count(*) AS n FROM t WHERE reason = 'duplicate'"))[0].n;
    expect(await dup(space.warehouse)).toBe(2 * ((await dup(shipped.warehouse)) as number));
    expect(await readSnapshot(space.warehouse, "raw_lines", "SELECT invoice_no, stock_code, customer_id, strftime(invoice_date, '%H:%M') AS at FROM t WHERE invoice_no IN ('536365', '1536365') AND stock_code IN ('71053', '71053-1') ORDER BY invoice_no")).toEqual([
      {invoice_no: "1536365", stock_code: "71053-1", customer_id: 117850, at: "08:27"},
      {invoice_no: "536365", stock_code: "71053", customer_id: 17850, at: "08:26"}
    ]);
  });

  it("has exactly twice the gross and net revenue, and passes every error check", async () => {
    const totals = "SELECT round(sum(revenue), 2) AS revenue, round(sum(net_revenue), 2) AS net FROM t";
    const [one] = await readSnapshot(shipped.warehouse, "sales", totals);
    const [two] = await readSnapshot(space.warehouse, "sales", totals);
    expect(two.revenue).toBeCloseTo(2 * (one.revenue as number), 2);
    expect(two.net).toBeCloseTo(2 * (one.net as number), 2);
    expect(await readSnapshot(space.warehouse, "data_quality", `SELECT "check" FROM t WHERE severity = 'error' AND status <> 'pass'`)).toEqual([]);
  });
});
