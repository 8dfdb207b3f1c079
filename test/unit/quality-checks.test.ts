/**
 * Quality checks on hand-made tables, where the violations are known: each check's SQL run by real DuckDB.
 */
import {describe, expect, it} from "vitest";
import {queryRow} from "../../loaders/db.js";
import {CHECKS} from "../../loaders/quality/checks.js";
import {pipelineConnection} from "../helpers/duckdb.js";

const connection = pipelineConnection();

const lines = (name: string, keys: [string, number][]) =>
  connection().run(
    `CREATE OR REPLACE TABLE ${name} AS SELECT * FROM (VALUES ${keys.map(([file, line]) => `('${file}', ${line}::BIGINT)`).join(", ") || "(NULL, NULL)"}) AS t(source_file, source_line)
     WHERE source_file IS NOT NULL`
  );
/** The four tables reconcile_lines reads, each given as its (file, line) keys. */
async function given(tables: Record<"raw_lines" | "sales" | "returns" | "excluded_lines", [string, number][]>): Promise<void> {
  for (const [name, keys] of Object.entries(tables)) await lines(name, keys);
}
const run = (name: string) => queryRow<{observed: number; details: string | null}>(connection(), CHECKS.find((check) => check.check === name)!.sql);

describe("reconcile_lines", () => {
  it("passes when every raw line is in exactly one of sales, returns and excluded_lines", async () => {
    await given({
      raw_lines: [
        ["a.csv", 2],
        ["a.csv", 3],
        ["b.csv", 2]
      ],
      sales: [["a.csv", 2]],
      returns: [["b.csv", 2]],
      excluded_lines: [["a.csv", 3]]
    });
    expect(await run("reconcile_lines")).toEqual({observed: 0, details: null});
  });

  it("names each line missing, placed twice, unknown, or read twice, in file and line order", async () => {
    await given({
      raw_lines: [
        ["a.csv", 2],
        ["a.csv", 3],
        ["a.csv", 4],
        ["a.csv", 5],
        ["b.csv", 2],
        ["b.csv", 2]
      ],
      sales: [
        ["a.csv", 2],
        ["a.csv", 3],
        ["b.csv", 2]
      ],
      returns: [["a.csv", 9]],
      excluded_lines: [["a.csv", 3]]
    });
    expect(await run("reconcile_lines")).toEqual({
      observed: 5,
      details: "placed 2 times a.csv:3; missing a.csv:4; missing a.csv:5; not in raw_lines a.csv:9; in raw_lines 2 times b.csv:2"
    });
  });

  it("names lines without a file or line number, or with one no line key holds, and keys the others apart", async () => {
    // Line numbers at the edges of the 32 bits a line key gives them, and files whose keys differ in the high bits only.
    await given({
      raw_lines: [
        ["a.csv", 0],
        ["a.csv", 4294967295],
        ["b.csv", 4294967295],
        ["c.csv", -1]
      ],
      sales: [
        ["a.csv", 0],
        ["a.csv", 4294967295],
        ["b.csv", 4294967295],
        ["c.csv", 4294967296]
      ],
      returns: [],
      excluded_lines: []
    });
    await connection().run(
      "CREATE OR REPLACE TABLE returns AS SELECT * FROM (VALUES (NULL::VARCHAR, 7::BIGINT), ('d.csv', NULL::BIGINT)) AS t(source_file, source_line)"
    );
    expect(await run("reconcile_lines")).toEqual({
      observed: 4,
      details:
        "line number out of range c.csv:-1; line number out of range c.csv:4294967296; without a file or line number d.csv:(no line); without a file or line number (no file):7"
    });
  });
});

describe("unique_sales_line", () => {
  it("names each (file, line) sales holds more than once, keying lines at the edges of 32 bits apart", async () => {
    await lines("sales", [
      ["a.csv", 2],
      ["a.csv", 2],
      ["b.csv", 2],
      ["a.csv", 3],
      ["b.csv", 4294967295],
      ["b.csv", 4294967295],
      ["c.csv", 4294967296],
      ["c.csv", 4294967296],
      ["c.csv", 0]
    ]);
    expect(await run("unique_sales_line")).toEqual({observed: 3, details: "a.csv:2; b.csv:4294967295; c.csv:4294967296"});
  });
});

describe("stock_code_case_variants", () => {
  it("names each code spelt in more than one case, with its spellings", async () => {
    await connection().run(
      "CREATE OR REPLACE TABLE raw_lines AS SELECT * FROM (VALUES ('85123a'), ('85123A'), ('85123A'), ('22423'), ('post'), ('POST'), ('Post')) AS t(stock_code)"
    );
    expect(await run("stock_code_case_variants")).toEqual({observed: 2, details: "85123A/85123a; POST/Post/post"});
  });
});
