/**
 * Patching a packed line table instead of packing it again (loaders/site/patch-packed.ts): on hand-made
 * `sales`-shaped tables, the patched file holds exactly the new snapshot's rows in the packed order, and
 * every case a patch cannot keep that promise is refused with its reason and leaves no file behind.
 */
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {existsSync, mkdtempSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {queryRows} from "../../loaders/db.js";
import {packedOrder, packSnapshot, storedInOrder} from "../../loaders/site/packed.js";
import {MAX_PATCH_SHARE, MAX_PATCHED_GROWTH, packOrPatch, patchPacked, type PackedStats, type PatchLimits} from "../../loaders/site/patch-packed.js";

const dir = mkdtempSync(join(tmpdir(), "retail-patch-"));
let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:", {threads: "1"});
  connection = await instance.connect();
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
  rmSync(dir, {recursive: true, force: true});
});

/** A line as (day, file, line, quantity); the other sales columns follow from them. */
type Line = [day: string | null, file: string, line: number, quantity: number];

const BASE: Line[] = [
  ["2010-12-01 08:00", "2010-12-01.csv", 1, 6],
  ["2010-12-01 08:00", "2010-12-01.csv", 2, 2],
  ["2010-12-01 09:30", "2010-12-01.csv", 3, 12],
  ["2010-12-02 10:00", "2010-12-02.csv", 1, 4],
  ["2010-12-02 11:00", "2010-12-02.csv", 2, 1],
  ["2010-12-03 09:00", "2010-12-03.csv", 1, 3],
  ["2010-12-03 09:00", "2010-12-03.csv", 2, 8],
  ["2010-12-03 12:00", "2010-12-03.csv", 3, 5],
  ["2010-12-05 10:00", "2010-12-05.csv", 1, 7],
  ["2010-12-05 10:00", "2010-12-05.csv", 2, 9]
];

let files = 0;
/** Writes lines as a Parquet file with sales-like columns (in the order given, which need not be sorted). */
async function parquetOf(lines: readonly Line[], extra = ""): Promise<string> {
  const path = join(dir, `lines-${++files}.parquet`);
  const values = lines.map(([day, file, line, quantity]) => `(${day === null ? "NULL" : `TIMESTAMP '${day}'`}, '${file}', ${line}, ${quantity})`).join(", ");
  await connection.run(
    `COPY (SELECT source_file, source_line::BIGINT AS source_line, 'INV' || source_line AS invoice_no, invoice_date, quantity::INTEGER AS quantity,
             quantity * 2.5 AS revenue${extra}
           FROM (VALUES ${values}) AS t(invoice_date, source_file, source_line, quantity)) TO '${path}' (FORMAT parquet)`
  );
  return path;
}

/** Packs lines afresh, as the site's previous copy: its file and how it came about. */
async function basePack(lines: readonly Line[]): Promise<{file: string; stats: PackedStats}> {
  const file = join(dir, `base-${++files}.duckdb`);
  const {rows} = await packSnapshot(await parquetOf(lines), file, "sales", instance);
  return {file, stats: {rows, freshBytesPerRow: statSync(file).size / rows}};
}

/** The packed table's rows in stored order, and whether that is the packed order. */
async function stored(file: string): Promise<{lines: string[]; inOrder: boolean}> {
  await connection.run(`ATTACH '${file}' AS checked (READ_ONLY)`);
  try {
    const rows = await queryRows<{line: string}>(
      connection,
      "SELECT strftime(invoice_date, '%d %H:%M') || ' ' || source_file || ':' || source_line || ' ×' || quantity AS line FROM checked.sales ORDER BY rowid"
    );
    return {lines: rows.map((row) => row.line), inOrder: await storedInOrder(connection, "checked.sales", packedOrder("sales"))};
  } finally {
    await connection.run("DETACH checked");
  }
}

/** Patches `base` into the lines' snapshot; the fixtures are tiny, so changes may be a large share of them and DuckDB's blocks large beside them. */
async function patch(
  base: {file: string; stats: PackedStats},
  lines: readonly Line[],
  {extra = "", limits = {maxShare: 0.5, maxGrowth: 3}}: {extra?: string; limits?: PatchLimits} = {}
) {
  const target = join(dir, `patched-${++files}.duckdb`);
  const parquet = await parquetOf(lines, extra);
  const outcome = await patchPacked(instance, {table: "sales", base: base.file, baseStats: base.stats, parquet, target}, limits);
  return {outcome, target};
}

describe("patching a packed table", () => {
  it("updates changed rows in place, deletes gone ones and appends new ones, leaving what a fresh pack holds", async () => {
    const base = await basePack(BASE);
    // A return matched to an old purchase changes its quantity; a line disappears (its file was edited); a new day arrives.
    const next: Line[] = BASE.filter(([, file, line]) => !(file === "2010-12-02.csv" && line === 2)).map((line) =>
      line[1] === "2010-12-01.csv" && line[2] === 3 ? ["2010-12-01 09:30", "2010-12-01.csv", 3, 10] : line
    );
    next.push(["2010-12-06 08:00", "2010-12-06.csv", 2, 1], ["2010-12-06 08:00", "2010-12-06.csv", 1, 2]);
    const {outcome, target} = await patch(base, next);
    // The deleted line moves every later row up a place: rows are paired by key.
    expect(outcome).toMatchObject({
      patched: true,
      inserted: 2,
      updated: 1,
      deleted: 1,
      pairedBy: "key",
      stats: {rows: 11, freshBytesPerRow: base.stats.freshBytesPerRow}
    });

    const fresh = join(dir, "fresh.duckdb");
    await packSnapshot(await parquetOf(next), fresh, "sales", instance);
    const patched = await stored(target);
    expect(patched).toEqual(await stored(fresh));
    expect(patched.inOrder).toBe(true);
    expect(patched.lines.slice(0, 3)).toEqual(["01 08:00 2010-12-01.csv:1 ×6", "01 08:00 2010-12-01.csv:2 ×2", "01 09:30 2010-12-01.csv:3 ×10"]);
    expect(patched.lines.slice(-2)).toEqual(["06 08:00 2010-12-06.csv:1 ×2", "06 08:00 2010-12-06.csv:2 ×1"]);
    // The base is the served file: it stays as it was.
    expect((await stored(base.file)).lines).toHaveLength(10);
  });

  it("pairs rows by their place where the snapshot keeps the stored rows in order and appends the new ones", async () => {
    const base = await basePack(BASE);
    // The common day: two returns matched to old purchases, a new day's lines at the end (in the snapshot's own order).
    const next: Line[] = BASE.map((line) => (line[2] === 3 ? [line[0], line[1], 3, line[3] - 1] : line));
    next.push(["2010-12-06 08:00", "2010-12-06.csv", 2, 1], ["2010-12-06 08:00", "2010-12-06.csv", 1, 2]);
    const {outcome, target} = await patch(base, next);
    expect(outcome).toMatchObject({patched: true, inserted: 2, updated: 2, deleted: 0, pairedBy: "position", stats: {rows: 12}});
    const fresh = join(dir, "fresh-by-position.duckdb");
    await packSnapshot(await parquetOf(next), fresh, "sales", instance);
    expect(await stored(target)).toEqual(await stored(fresh));
    expect((await stored(target)).lines.slice(-3)).toEqual(["05 10:00 2010-12-05.csv:2 ×9", "06 08:00 2010-12-06.csv:1 ×2", "06 08:00 2010-12-06.csv:2 ×1"]);
  });

  it("pairs rows by their place where the last rows are gone", async () => {
    const base = await basePack(BASE);
    const {outcome, target} = await patch(base, BASE.slice(0, 8));
    expect(outcome).toMatchObject({patched: true, inserted: 0, updated: 0, deleted: 2, pairedBy: "position", stats: {rows: 8}});
    expect((await stored(target)).lines).toHaveLength(8);
  });

  it("pairs rows by key where a changed row's key is also an unchanged row's, and refuses the patch", async () => {
    // Two stored rows share a key; pairing the changed one by its place would update both.
    const shared: Line[] = [...BASE, ["2010-12-05 10:00", "2010-12-05.csv", 2, 1]];
    const base = await basePack(shared);
    const next = shared.map((line, index) => (index === 10 ? ([...line.slice(0, 3), 5] as Line) : line));
    const {outcome, target} = await patch(base, next);
    expect(outcome.patched ? "" : outcome.reason).toMatch(/is not a key/);
    expect(existsSync(target)).toBe(false);
  });

  it("leaves an unchanged table unchanged", async () => {
    const base = await basePack(BASE);
    const {outcome, target} = await patch(base, BASE);
    expect(outcome).toMatchObject({patched: true, inserted: 0, updated: 0, deleted: 0, pairedBy: "position"});
    expect(await stored(target)).toEqual(await stored(base.file));
  });

  const refusals: [string, Line[] | ((lines: Line[]) => Line[]), string | RegExp, string?][] = [
    [
      "a new row that sorts before the stored ones (a late file)",
      (lines) => [...lines, ["2010-12-04 09:00", "late.csv", 1, 1]],
      "new rows sort before stored ones by invoice_date, source_file, source_line"
    ],
    ["a row without a date", (lines) => [...lines, [null, "2010-12-06.csv", 1, 1]], "1 changed row has a NULL in invoice_date, source_file, source_line"],
    [
      "more than the share a patch changes",
      (lines) => lines.map(([day, file, line, quantity], index) => [day, file, line, index < 3 ? quantity + 1 : quantity]),
      `3 of 10 rows changed (a patch changes at most ${MAX_PATCH_SHARE * 100}%)`
    ],
    ["a key two changed rows share", (lines) => [...lines, ["2010-12-05 10:00", "2010-12-05.csv", 2, 99]], /is not a key/],
    ["a key two unchanged rows share", (lines) => [...lines, lines[9]!], /is not a key: the patch left 10 rows for the snapshot's 11/],
    ["new columns", (lines) => lines, /^its columns changed \(.* → .*, country VARCHAR\)$/, ", 'United Kingdom' AS country"]
  ];
  for (const [name, change, reason, extra] of refusals) {
    it(`refuses ${name}, says why and leaves no file`, async () => {
      const base = await basePack(BASE);
      const lines = typeof change === "function" ? change(BASE.map((line) => [...line] as Line)) : change;
      const {outcome, target} = await patch(base, lines, {extra, limits: name.startsWith("more than") ? {} : undefined});
      expect(outcome.patched).toBe(false);
      expect(outcome.patched ? "" : outcome.reason).toMatch(typeof reason === "string" ? new RegExp(`^${reason.replace(/[()%.]/g, "\\$&")}$`) : reason);
      expect(existsSync(target)).toBe(false);
    });
  }

  it("refuses a patch that would leave the file much larger than a fresh pack", async () => {
    const base = await basePack(BASE);
    const {outcome, target} = await patch({file: base.file, stats: {rows: 10, freshBytesPerRow: base.stats.freshBytesPerRow / 2}}, BASE, {limits: {}});
    expect(outcome).toEqual({patched: false, reason: `patched, it would be 2.00 times the size of a fresh pack (at most ${MAX_PATCHED_GROWTH})`});
    expect(existsSync(target)).toBe(false);
  });
});

describe("packing or patching", () => {
  it("patches a base at least minBytes large and packs afresh otherwise, or where a patch is refused", async () => {
    const base = await basePack(BASE);
    const next: Line[] = [...BASE, ["2010-12-06 08:00", "2010-12-06.csv", 1, 2]];
    const parquet = await parquetOf(next);
    const pack = (target: string, minBytes: number, lines = parquet) =>
      packOrPatch(instance, {table: "sales", parquet: lines, target: join(dir, target), base}, {minBytes, maxShare: 0.5, maxGrowth: 3});
    const size = statSync(base.file).size;
    expect(await pack("a.duckdb", size)).toEqual({
      stats: {rows: 11, freshBytesPerRow: base.stats.freshBytesPerRow},
      patched: {inserted: 1, updated: 0, deleted: 0, pairedBy: "position"}
    });
    const fresh = await pack("b.duckdb", size + 1);
    expect(fresh).toEqual({stats: {rows: 11, freshBytesPerRow: statSync(join(dir, "b.duckdb")).size / 11}});
    const late = await pack("c.duckdb", 0, await parquetOf([...BASE, ["2010-12-01 07:00", "late.csv", 1, 1]]));
    expect(late).toMatchObject({stats: {rows: 11}, refused: "new rows sort before stored ones by invoice_date, source_file, source_line"});
    expect((await stored(join(dir, "c.duckdb"))).lines[0]).toBe("01 07:00 late.csv:1 ×1");
    expect(await stored(join(dir, "a.duckdb"))).toEqual(await stored(join(dir, "b.duckdb")));
  });
});

describe("packing without FSST", () => {
  it("packs and patches string columns without FSST segments, which DuckDB would otherwise choose for them", async () => {
    // Distinct long strings sharing most of their text: FSST's best case, where DuckDB picks it by default.
    const parquet = join(dir, "strings.parquet");
    const rows = (from: number, count: number) =>
      `SELECT TIMESTAMP '2010-12-01 08:00' + INTERVAL (i // 100) DAY AS invoice_date, 'f.csv' AS source_file, i::BIGINT AS source_line,
         'REGENCY CAKESTAND 3 TIER WITH A LONG DESCRIPTION NUMBER ' || i AS description FROM range(${from}, ${from + count}) AS t(i)`;
    await connection.run(`COPY (${rows(0, 20_000)}) TO '${parquet}' (FORMAT parquet)`);
    const fsstSegments = async (file: string) => {
      await connection.run(`ATTACH '${file}' AS inspected (READ_ONLY)`);
      try {
        const [{segments}] = await queryRows<{segments: number}>(
          connection,
          "SELECT count(*)::INTEGER AS segments FROM pragma_storage_info('inspected.sales') WHERE compression = 'FSST'"
        );
        return segments;
      } finally {
        await connection.run("DETACH inspected");
      }
    };
    const control = await DuckDBInstance.create(":memory:", {threads: "1"});
    const controlConnection = await control.connect();
    await controlConnection.run(`ATTACH '${join(dir, "control.duckdb")}' AS c (STORAGE_VERSION 'v1.0.0')`);
    await controlConnection.run(`CREATE TABLE c.sales AS FROM read_parquet('${parquet}'); DETACH c`);
    controlConnection.closeSync();
    control.closeSync();
    expect(await fsstSegments(join(dir, "control.duckdb"))).toBeGreaterThan(0);

    // Fresh instances for the pack and the patch: the setting is per instance, and this file's shared one has patched before.
    const packed = join(dir, "strings.duckdb");
    await packSnapshot(parquet, packed, "sales");
    expect(await fsstSegments(packed)).toBe(0);
    const next = join(dir, "strings-next.parquet");
    await connection.run(`COPY (FROM read_parquet('${parquet}') UNION ALL ${rows(20_000, 5_000)}) TO '${next}' (FORMAT parquet)`);
    const target = join(dir, "strings-patched.duckdb");
    const patching = await DuckDBInstance.create(":memory:", {threads: "1"});
    const outcome = await patchPacked(patching, {table: "sales", base: packed, baseStats: {rows: 20_000, freshBytesPerRow: 1e6}, parquet: next, target});
    patching.closeSync();
    expect(outcome).toMatchObject({patched: true, inserted: 5_000, pairedBy: "position"});
    expect(await fsstSegments(target)).toBe(0);
  });
});
