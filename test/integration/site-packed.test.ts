import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {invalidateFrameworkCache} from "../../loaders/framework.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {packSnapshot} from "../../loaders/site/packed.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {csv, HEADER, workspace} from "../helpers/fixtures.js";
import {DuckDBInstance} from "@duckdb/node-api";

const space = workspace("retail-packed-");
beforeAll(async () => {
  space.write(
    "2010-12-01.csv",
    csv(HEADER, "536365,85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom", '536366,22633,"HAND WARMER, RED",6,2010-12-01 08:28:00,1.85,,France')
  );
  await runPipeline(space.options);
});
afterAll(() => space.dispose());

describe("the browser's packed copy of a snapshot", () => {
  it("holds exactly the snapshot's rows and column types, readable as a read-only database", async () => {
    const parquet = join(space.warehouse, "snapshots", "sales.parquet");
    const target = join(space.dir, "sales.duckdb");
    await packSnapshot(parquet, target, "sales");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      await connection.run(`ATTACH '${target}' AS packed (READ_ONLY)`);
      const packed = (await connection.runAndReadAll("SELECT * FROM packed.sales ORDER BY source_line")).getRowObjectsJS();
      const columns = (
        await connection.runAndReadAll("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'packed' ORDER BY column_index")
      ).getRows();
      const original = await readSnapshot(space.warehouse, "sales", "SELECT * FROM t ORDER BY source_line");
      expect(packed.map((row) => [row.invoice_no, row.description, row.customer_id, row.revenue])).toEqual([
        ["536365", "MUG", 17850, 15.3],
        ["536366", "HAND WARMER, RED", null, 11.1]
      ]);
      expect(packed.map((row) => ({...row, source_line: Number(row.source_line)}))).toEqual(original);
      expect(columns).toContainEqual(["invoice_date", "TIMESTAMP"]);
      expect(columns).toContainEqual(["source_line", "BIGINT"]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("is dropped from Framework's cache when its snapshot changes, like the Parquet file", () => {
    const cache = join(space.site, ".observablehq", "cache", "data");
    mkdirSync(join(cache, "packed"), {recursive: true});
    for (const file of ["sales.parquet", "packed/sales.duckdb", "packed/orders.duckdb", "schema.json"]) writeFileSync(join(cache, file), "stale");
    invalidateFrameworkCache(space.site, ["sales"]);
    expect(existsSync(join(cache, "sales.parquet"))).toBe(false);
    expect(existsSync(join(cache, "packed/sales.duckdb"))).toBe(false);
    expect(existsSync(join(cache, "schema.json"))).toBe(false);
    expect(existsSync(join(cache, "packed/orders.duckdb"))).toBe(true);
  });
});
