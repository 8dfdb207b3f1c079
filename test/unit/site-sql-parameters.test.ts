import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {browserForm, SNAPSHOT_NAMES, type SnapshotName} from "../../loaders/schema/index.js";
import {sitePath} from "../../loaders/site/publish.js";
import {bindParameters, formatTimestamp} from "../../src/components/sql-parameters.js";
import {explainSqlError} from "../../src/components/sql-errors.js";

const tag = (strings: TemplateStringsArray, ...values: unknown[]) => bindParameters(strings, values);

describe("the sql tag's parameters", () => {
  it("binds values as parameters, never as SQL text", () => {
    const evil = "x'; DROP TABLE sales; --";
    expect(tag`SELECT * FROM sales WHERE description = ${evil} AND quantity > ${5}`).toEqual({
      text: "SELECT * FROM sales WHERE description = ? AND quantity > ?",
      params: [evil, 5]
    });
  });

  it("expands arrays into one parameter each, and an empty array into NULL", () => {
    expect(tag`WHERE country IN (${["France", "Germany"]}) AND x IN (${[]})`).toEqual({
      text: "WHERE country IN (?, ?) AND x IN (NULL)",
      params: ["France", "Germany"]
    });
  });

  it("binds Dates as wall-clock timestamps and BigInts as numbers when exact", () => {
    expect(tag`${new Date(Date.UTC(2011, 11, 9, 12, 50))} ${42n} ${2n ** 60n} ${undefined}`.params).toEqual([
      "2011-12-09 12:50:00.000",
      42,
      "1152921504606846976",
      null
    ]);
    expect(() => formatTimestamp(new Date(Number.NaN))).toThrow(/invalid Date/);
  });

  it("keeps a query without interpolations as it is", () => {
    expect(tag`SELECT 1`).toEqual({text: "SELECT 1", params: []});
  });
});

describe("the site's snapshot list", () => {
  it("names every snapshot of the contract once, in the form the pipeline ships it", () => {
    const source = readFileSync(new URL("../../src/components/snapshot-files.ts", import.meta.url), "utf8");
    const listed = [...source.matchAll(/^\s+(\w+): \{form: "(parquet|packed)", url: \(\) => FileAttachment\("\.\.\/(data\/[\w/]+\.\w+)"\)\.href\}/gm)];
    for (const [, key, form, path] of listed) expect([key, form, path]).toEqual([key, browserForm(key as SnapshotName), sitePath(key)]);
    expect(listed.map(([, key]) => key).sort()).toEqual([...SNAPSHOT_NAMES].sort());
  });
});

describe("SQL errors", () => {
  const duckdb = 'Catalog Error: Table with name salse does not exist!\nDid you mean "pg_tablespace"?\n\nLINE 1: SELECT * FROM salse\n                      ^';
  it("suggests the nearest snapshot and lists them all instead of DuckDB's catalog guess", () => {
    expect(explainSqlError(duckdb, ["orders", "sales"])).toBe(
      'Catalog Error: Table with name salse does not exist!\nDid you mean "sales"? The snapshots you can query: orders, sales.\n\nLINE 1: SELECT * FROM salse\n                      ^'
    );
    expect(explainSqlError(duckdb.replaceAll("salse", "inventory"), ["orders", "sales"])).toContain("\nThe snapshots you can query: orders, sales.\n");
  });
  it("leaves other messages alone", () => {
    expect(explainSqlError('Parser Error: syntax error at or near "FORM"', ["sales"])).toBe('Parser Error: syntax error at or near "FORM"');
  });
});
