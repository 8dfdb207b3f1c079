import {DuckDBInstance} from "@duckdb/node-api";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {sha256File} from "../../loaders/run/files.js";
import {writeParquet} from "../../loaders/run/parquet.js";

const dir = mkdtempSync(join(tmpdir(), "retail-parquet-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** 300,001 rows: three full row groups of 122,880 and a partial one, whatever plan produces them. */
const ROWS = 300_001;
const source = `SELECT i AS line, 'file-' || (i // 1000) AS file, (i * 7919) % 1000 / 100 AS price, CASE WHEN i % 13 = 0 THEN NULL ELSE 'c' || (i % 97) END AS customer FROM range(${ROWS}) AS t(i)`;

async function write(threads: string, how: "table" | "sorted union" | "filtered view", name: string) {
  const instance = await DuckDBInstance.create(":memory:", {threads});
  const connection = await instance.connect();
  const path = join(dir, `${name}.parquet`);
  try {
    await connection.run(`CREATE TABLE lines AS ${source}`);
    if (how === "table") await writeParquet(connection, {table: "lines"}, path);
    else if (how === "sorted union") {
      await writeParquet(connection, {sql: `SELECT * FROM (FROM lines WHERE line % 3 = 0 UNION ALL FROM lines WHERE line % 3 <> 0) ORDER BY line`}, path);
    } else {
      await connection.run("CREATE VIEW kept AS FROM lines WHERE line >= 0");
      await writeParquet(connection, {sql: "FROM kept", keepAs: "kept_stored"}, path);
      expect(await queryRows(connection, "SELECT count(*)::INTEGER AS n FROM kept_stored")).toEqual([{n: ROWS}]);
    }
    const groups = await queryRows<{rows: number}>(
      connection,
      `SELECT DISTINCT row_group_id, row_group_num_rows::INTEGER AS rows FROM parquet_metadata('${path}') ORDER BY row_group_id`
    );
    return {sha: sha256File(path), groups: groups.map((group) => group.rows)};
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("writeParquet", () => {
  it("lays out the same rows in the same bytes whatever the plan or the thread count, in row groups of 122,880", async () => {
    const reference = await write("1", "table", "table-1");
    expect(reference.groups).toEqual([122_880, 122_880, 54_241]);
    for (const [threads, how] of [
      ["2", "table"],
      ["1", "sorted union"],
      ["2", "sorted union"],
      ["2", "filtered view"]
    ] as const) {
      expect((await write(threads, how, `${how.replace(" ", "-")}-${threads}`)).sha, `${how}, ${threads} threads`).toBe(reference.sha);
    }
  });
});
