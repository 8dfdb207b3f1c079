import {createHash} from "node:crypto";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {openDatabase, queryRows} from "../../loaders/db.js";
import {PARQUET_OPTIONS} from "../../loaders/run/parquet.js";

/**
 * A snapshot's bytes must not depend on the plan that produced its rows (a cold run scans CSV files, an
 * incremental one carries rows over from the previous snapshot): the same 300,001 rows, written from
 * plans whose batches differ, give one file (one row group), on one thread and on several.
 */
const dir = mkdtempSync(join(tmpdir(), "parquet-options-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const ROWS = 300_001;
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe.each([1, 2])("PARQUET_OPTIONS on %i thread(s)", (threads) => {
  it("writes the same rows to the same bytes whatever the plan", async () => {
    const instance = await openDatabase({threads, memoryLimit: "512MB", tempDirectory: dir});
    const connection = await instance.connect();
    const path = (name: string) => `'${join(dir, `${threads}-${name}.parquet`)}'`;
    const write = (sql: string, name: string) => connection.run(`COPY (${sql}) TO ${path(name)} (${PARQUET_OPTIONS})`);
    try {
      await connection.run(`CREATE TABLE lines AS
        SELECT i AS line, 'file-' || (i // 1777) AS source_file, 'product ' || (i * 7919 % 4001) AS description, (i * 31 % 97) - 3 AS quantity
        FROM range(${ROWS}) AS t(i)`);
      // Two parts cut at a point and with row groups that line up with nothing the writer uses.
      await connection.run(`COPY (FROM lines WHERE line < 100003) TO ${path("a")} (FORMAT parquet, ROW_GROUP_SIZE 33333)`);
      await connection.run(`COPY (FROM lines WHERE line >= 100003) TO ${path("b")} (FORMAT parquet, ROW_GROUP_SIZE 77777)`);
      const plans = {
        table: "FROM lines",
        carried: `FROM read_parquet([${path("a")}, ${path("b")}])`,
        filtered: "FROM lines WHERE quantity > -100",
        sorted: `SELECT * FROM read_parquet([${path("b")}, ${path("a")}]) ORDER BY line`
      };
      for (const [name, sql] of Object.entries(plans)) await write(sql, name);
      const hashes = Object.keys(plans).map((name) => sha(path(name).slice(1, -1)));
      expect(new Set(hashes).size, `${Object.keys(plans).join(", ")} gave ${hashes.join(", ")}`).toBe(1);

      const groups = await queryRows<{rows: number}>(
        connection,
        `SELECT row_group_num_rows AS rows FROM parquet_metadata(${path("table")}) GROUP BY row_group_id, row_group_num_rows ORDER BY row_group_id`
      );
      expect(groups.map((group) => Number(group.rows))).toEqual([ROWS]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
