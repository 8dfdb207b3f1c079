/**
 * The typing SQL's pieces, run by real DuckDB.
 */
import {describe, expect, it} from "vitest";
import {literal, queryRows} from "../../loaders/db.js";
import {trimmedSql} from "../../loaders/engine/duckdb/load-sql.js";
import {pipelineConnection} from "../helpers/duckdb.js";

const connection = pipelineConnection();

describe("trimmedSql", () => {
  // Every Unicode space separator DuckDB's trim removes, one of each kind of text around them, and
  // characters that are not space separators (a tab, an accented letter, a zero-width space).
  const spaces = [" ", "\u00a0", "\u1680", "\u2000", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000"];
  const texts = [
    "",
    " ",
    "   ",
    "MUG",
    "WHITE HANGING HEART, T-LIGHT",
    " MUG",
    "MUG ",
    "  MUG  ",
    "\tMUG\t",
    "CAFÉ",
    "é",
    "\u200bMUG\u200b",
    ...spaces.flatMap((space) => [space, `${space}MUG`, `MUG${space}`, `${space}CAFÉ${space}`, `${space}${space}`])
  ];

  it("gives exactly what DuckDB's trim gives, for ASCII and non-ASCII text, with and without space separators", async () => {
    const rows = await queryRows<{text: string; trimmed: string; expected: string}>(
      connection(),
      `SELECT text, ${trimmedSql("text")} AS trimmed, trim(text) AS expected FROM (VALUES ${texts.map((text) => `(${literal(text)})`).join(", ")}) AS t(text)`
    );
    expect(rows).toHaveLength(texts.length);
    for (const row of rows) expect({text: row.text, trimmed: row.trimmed}).toEqual({text: row.text, trimmed: row.expected});
    // The cases that matter: what trim removes and what it keeps.
    const trimmed = new Map(rows.map((row) => [row.text, row.trimmed]));
    expect(trimmed.get("  MUG  ")).toBe("MUG");
    expect(trimmed.get("\u3000CAFÉ\u3000")).toBe("CAFÉ");
    expect(trimmed.get("\u00a0MUG")).toBe("MUG");
    expect(trimmed.get("\tMUG\t")).toBe("\tMUG\t");
  });

  it("keeps NULL", async () => {
    expect(await queryRows(connection(), `SELECT ${trimmedSql("text")} AS trimmed FROM (VALUES (NULL::VARCHAR)) AS t(text)`)).toEqual([{trimmed: null}]);
  });
});
