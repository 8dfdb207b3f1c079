import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {readColumns, writeRows, writeColumns} from "../../loaders/run/table-io.js";

describe("writeRows and readColumns", () => {
  it("round-trip model results through DuckDB with the declared types", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await writeRows(
      connection,
      "scores",
      [
        ["customer_id", "INTEGER"],
        ["probability", "DOUBLE"],
        ["risk", "VARCHAR"],
        ["high", "BOOLEAN"],
        ["as_of", "DATE"],
        ["seen_at", "TIMESTAMP"],
        ["n", "BIGINT"]
      ],
      [
        {customer_id: 12346, probability: 0.75, risk: "High", high: true, as_of: new Date("2011-12-10T00:00:00Z"), seen_at: "2011-12-09 12:50:00", n: 3},
        {customer_id: 12347, probability: Number.NaN, risk: null, high: false, as_of: "2011-12-10", seen_at: new Date("2011-12-09T08:00:00Z"), n: undefined}
      ]
    );
    expect(await queryRows(connection, "SELECT column_name, column_type FROM (DESCRIBE scores)")).toEqual([
      {column_name: "customer_id", column_type: "INTEGER"},
      {column_name: "probability", column_type: "DOUBLE"},
      {column_name: "risk", column_type: "VARCHAR"},
      {column_name: "high", column_type: "BOOLEAN"},
      {column_name: "as_of", column_type: "DATE"},
      {column_name: "seen_at", column_type: "TIMESTAMP"},
      {column_name: "n", column_type: "BIGINT"}
    ]);
    const columns = await readColumns(connection, "SELECT customer_id, probability, risk FROM scores ORDER BY customer_id");
    expect(columns.customer_id).toEqual(new Int32Array([12346, 12347]));
    expect(Array.from(columns.probability as Float64Array)).toEqual([0.75, Number.NaN]);
    expect(columns.risk).toEqual(["High", null]);
    expect(await queryRows(connection, "SELECT strftime(seen_at, '%Y-%m-%d %H:%M') AS seen_at, n FROM scores ORDER BY customer_id")).toEqual([
      {seen_at: "2011-12-09 12:50", n: 3},
      {seen_at: "2011-12-09 08:00", n: null}
    ]);
    connection.closeSync();
    instance.closeSync();
  });

  it("write tables longer than one 2,048-row data chunk, row for row, NULLs where they were", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const n = 5_000;
    // Rows 0…4999: id = row, label = "r<row>", every 1000th value missing (NULL), in all three chunks.
    const rows = Array.from({length: n}, (_, row) => ({id: row, label: row % 1000 === 999 ? null : `r${row}`, big: row * 1_000_000, flag: row % 2 === 0}));
    await writeRows(
      connection,
      "many",
      [
        ["id", "INTEGER"],
        ["label", "VARCHAR"],
        ["big", "BIGINT"],
        ["flag", "BOOLEAN"]
      ],
      rows
    );
    const ids = Int32Array.from({length: n}, (_, row) => row);
    const halves = Float64Array.from({length: n}, (_, row) => (row % 1000 === 999 ? Number.NaN : row / 2));
    await writeColumns(connection, "columns", [
      ["id", "INTEGER", ids],
      ["half", "DOUBLE", halves]
    ]);
    // 0 + 1 + … + 4999 = 12,497,500; the NULL labels are rows 999, 1999, 2999, 3999 and 4999.
    expect(
      await queryRows(
        connection,
        `SELECT count(*) AS n, sum(id) AS ids, count(label) AS labels, sum(big) = 12497500::HUGEINT * 1000000 AS bigs,
      count(*) FILTER (WHERE flag) AS even, string_agg(id::VARCHAR, ',' ORDER BY id) FILTER (WHERE label IS NULL) AS missing,
      bool_and(label IS NULL OR label = 'r' || id) AS in_place FROM many`
      )
    ).toEqual([{n: 5000, ids: 12497500, labels: 4995, bigs: true, even: 2500, missing: "999,1999,2999,3999,4999", in_place: true}]);
    // Sum of row / 2 over the rows kept: (12,497,500 − (999 + 1999 + 2999 + 3999 + 4999)) / 2 = 6,241,252.5.
    expect(
      await queryRows(
        connection,
        `SELECT count(*) AS n, count(half) AS halves, sum(half) AS total, bool_and(half IS NULL OR half = id / 2) AS in_place FROM columns`
      )
    ).toEqual([{n: 5000, halves: 4995, total: 6241252.5, in_place: true}]);
    connection.closeSync();
    instance.closeSync();
  });
  it("read answers of many chunks whole and in order, each column exactly as long as the answer", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    // 10,000 rows: five 2,048-row chunks, the last partial.
    const columns = await readColumns(connection, `SELECT i::INTEGER AS i, (i * 1.5)::DOUBLE AS x, 'p' || i AS name FROM range(10000) AS t(i) ORDER BY i`);
    const i = columns.i as Int32Array;
    expect([i.length, (columns.x as Float64Array).length, (columns.name as string[]).length]).toEqual([10_000, 10_000, 10_000]);
    expect(i.buffer.byteLength).toBe(10_000 * 4);
    // 0 + 1 + … + 9999 = 49,995,000.
    expect(i.reduce((sum, value) => sum + value, 0)).toBe(49_995_000);
    expect(i.every((value, row) => value === row)).toBe(true);
    expect([(columns.x as Float64Array)[9999], (columns.name as string[])[4097]]).toEqual([14998.5, "p4097"]);
    const none = await readColumns(connection, "SELECT i::INTEGER AS i, 'a' AS name FROM range(10) AS t(i) WHERE i > 10");
    expect([(none.i as Int32Array).length, (none.name as string[]).length]).toEqual([0, 0]);
    connection.closeSync();
    instance.closeSync();
  });
  it("reads NULLs of numeric columns as NaN across chunks and the reader's blocks, and refuses them in integer columns", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    // 150,000 rows: past two 65,536-row blocks; every 1,000th x is NULL (a chunk with a validity mask), y never is.
    const columns = await readColumns(
      connection,
      `SELECT CASE WHEN i % 1000 = 999 THEN NULL ELSE i * 0.5 END::DOUBLE AS x, i::DOUBLE AS y, (i % 7)::SMALLINT AS s, i::BIGINT AS b
       FROM range(150000) AS t(i) ORDER BY i`
    );
    const [x, y, s, b] = [columns.x, columns.y, columns.s, columns.b] as Float64Array[];
    expect([x.length, y.length, s.length, b.length]).toEqual([150_000, 150_000, 150_000, 150_000]);
    expect(s).toBeInstanceOf(Int32Array);
    const nulls = [...x.keys()].filter((row) => Number.isNaN(x[row]));
    expect(nulls).toHaveLength(150);
    expect(nulls.every((row) => row % 1000 === 999)).toBe(true);
    expect([x[998], x[1000], x[65_535], x[65_536], x[149_998]]).toEqual([499, 500, 32_767.5, 32_768, 74_999]);
    // 0 + 1 + … + 149,999 = 11,249,925,000.
    expect([y.reduce((sum, value) => sum + value, 0), b[149_999], s[13]]).toEqual([11_249_925_000, 149_999, 6]);
    await expect(readColumns(connection, "SELECT CASE WHEN i = 5000 THEN NULL ELSE i END::INTEGER AS n FROM range(6000) AS t(i)")).rejects.toThrow(
      "readColumns: NULL in integer column n; COALESCE it in the query"
    );
    connection.closeSync();
    instance.closeSync();
  });
});
