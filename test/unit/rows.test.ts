import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {queryColumns, writeRows} from "../../loaders/run/rows.js";

describe("writeRows and queryColumns", () => {
  it("round-trip model results through DuckDB with the declared types", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await writeRows(
      connection,
      "scores",
      [["customer_id", "INTEGER"], ["probability", "DOUBLE"], ["risk", "VARCHAR"], ["high", "BOOLEAN"], ["as_of", "DATE"], ["seen_at", "TIMESTAMP"], ["n", "BIGINT"]],
      [
        {customer_id: 12346, probability: 0.75, risk: "High", high: true, as_of: new Date("2011-12-10T00:00:00Z"), seen_at: "2011-12-09 12:50:00", n: 3},
        {customer_id: 12347, probability: Number.NaN, risk: null, high: false, as_of: "2011-12-10", seen_at: new Date("2011-12-09T08:00:00Z"), n: undefined}
      ]
    );
    expect(await queryRows(connection, "SELECT column_name, column_type FROM (DESCRIBE scores)")).toEqual([
      {column_name: "customer_id", column_type: "INTEGER"}, {column_name: "probability", column_type: "DOUBLE"},
      {column_name: "risk", column_type: "VARCHAR"}, {column_name: "high", column_type: "BOOLEAN"},
      {column_name: "as_of", column_type: "DATE"}, {column_name: "seen_at", column_type: "TIMESTAMP"}, {column_name: "n", column_type: "BIGINT"}
    ]);
    const columns = await queryColumns(connection, "SELECT customer_id, probability, risk FROM scores ORDER BY customer_id");
    expect(columns.customer_id).toEqual(new Float64Array([12346, 12347]));
    expect(Array.from(columns.probability as Float64Array)).toEqual([0.75, Number.NaN]);
    expect(columns.risk).toEqual(["High", null]);
    expect(await queryRows(connection, "SELECT strftime(seen_at, '%Y-%m-%d %H:%M') AS seen_at, n FROM scores ORDER BY customer_id")).toEqual([
      {seen_at: "2011-12-09 12:50", n: 3},
      {seen_at: "2011-12-09 08:00", n: null}
    ]);
    connection.closeSync();
    instance.closeSync();
  });
});
