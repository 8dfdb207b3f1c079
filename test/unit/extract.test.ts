import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {InputFileError} from "../../loaders/errors.js";
import {extractFile, MAX_RECORD_LINES} from "../../loaders/extract/extract.js";
import {HEADER, workspace, type Workspace} from "../helpers/fixtures.js";

let space: Workspace;
beforeEach(() => {
  space = workspace();
});
afterEach(() => space.dispose());

async function extract(name: string, content: string | Buffer) {
  const absolutePath = space.write(name, content);
  const staged = join(space.dir, "staged.csv");
  const result = await extractFile({path: name, absolutePath}, staged);
  return {result, staged: readFileSync(staged, "utf8")};
}

const row = (invoice: number, description = "WHITE MUG") => `${invoice},85123A,${description},6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom`;

describe("extractFile", () => {
  it("prefixes every record with the line it starts on", async () => {
    const {result, staged} = await extract("day.csv", `${HEADER}\n${row(1)}\n${row(2)}\n`);
    expect(result.records).toBe(2);
    expect(result.compressed).toBe(false);
    expect(staged).toBe(`source_line,${HEADER}\n2,${row(1)}\n3,${row(2)}\n`);
  });

  it("detects gzip by its magic bytes, whatever the file is called", async () => {
    const absolutePath = join(space.raw, "day.csv");
    writeFileSync(absolutePath, gzipSync(`${HEADER}\n${row(1)}\n`));
    const result = await extractFile({path: "day.csv", absolutePath}, join(space.dir, "staged.csv"));
    expect(result.compressed).toBe(true);
    expect(result.records).toBe(1);
  });

  it("handles CRLF, a BOM, a missing final newline, blank lines and a quoted field spanning lines", async () => {
    const text = `\uFEFF${HEADER}\r\n${row(1)}\r\n\r\n${row(2, '"TWO\nLINES, QUOTED"')}\r\n${row(3)}`;
    const {result, staged} = await extract("day.csv", text);
    expect(result.records).toBe(3);
    expect(result.blankLines).toBe(1);
    expect(staged).toBe(`source_line,${HEADER}\n2,${row(1)}\n4,${row(2, '"TWO\nLINES, QUOTED"')}\n6,${row(3)}\n`);
  });

  it("keeps line numbers right across read chunks of a large file", async () => {
    const lines = Array.from({length: 20_000}, (_, index) => row(index + 1, index % 7 === 0 ? '"A, QUOTED ""NAME"""' : "PLAIN"));
    const {result, staged} = await extract("big.csv.gz", `${HEADER}\n${lines.join("\n")}\n`);
    expect(result.records).toBe(20_000);
    const stagedLines = staged.trimEnd().split("\n");
    expect(stagedLines[1]).toBe(`2,${lines[0]}`);
    expect(stagedLines[15_000]).toBe(`15001,${lines[14_999]}`);
    expect(stagedLines[20_000]).toBe(`20001,${lines[19_999]}`);
  });

  it("keeps a record longer than a read chunk, and quoted line breaks on chunk boundaries, whole", async () => {
    // Reads come in 64 KiB chunks: a 150,000-character description spans three of them.
    const long = row(2, "X".repeat(150_000));
    const quoted = Array.from({length: 3_000}, (_, index) => row(index + 3, `"LINE ONE\nLINE TWO ${index}"`));
    const {result, staged} = await extract("long.csv", `${HEADER}\n${row(1)}\n${long}\n${quoted.join("\n")}\n${row(9)}`);
    expect(result.records).toBe(3_003);
    expect(result.issues).toEqual([]);
    const stagedLines = staged.split("\n");
    expect(stagedLines.slice(0, 3)).toEqual([`source_line,${HEADER}`, `2,${row(1)}`, `3,${long}`]);
    // Each quoted record takes two physical lines: record k (from 0) starts on line 4 + 2k.
    expect(stagedLines.slice(3 + 2 * 2_999, 3 + 2 * 2_999 + 2).join("\n")).toBe(`${4 + 2 * 2_999},${quoted[2_999]}`);
    expect(stagedLines.at(-2)).toBe(`${4 + 2 * 3_000},${row(9)}`);
    expect(stagedLines.at(-1)).toBe("");
  });

  it("quarantines a record with bytes that are not UTF-8, saying where and why", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\n${row(1)}\n4,84029G,CAF`),
      Buffer.from([0xe9]),
      Buffer.from(` MUG,6,2010-12-01 08:26:00,3.39,,France\n${row(5)}\n`)
    ]);
    const {result, staged} = await extract("latin1.csv", bytes);
    expect(result.records).toBe(3);
    expect(result.issues).toEqual([
      {
        line: 3,
        reason: "invalid UTF-8: byte 0xE9 at position 13 of line 3; the file may be Latin-1 or Windows-1252 encoded, save it as UTF-8",
        text: "4,84029G,CAFé MUG,6,2010-12-01 08:26:00,3.39,,France"
      }
    ]);
    expect(staged).toBe(`source_line,${HEADER}\n2,${row(1)}\n4,${row(5)}\n`);
  });

  it("quarantines the first line of an unterminated quoted field and reads on", async () => {
    const filler = Array.from({length: MAX_RECORD_LINES + 5}, (_, index) => row(index + 10));
    const text = `${HEADER}\n${row(1)}\n2,85123A,"BROKEN,6,2010-12-01 08:26:00,2.55,,UK\n${filler.join("\n")}\n`;
    const {result, staged} = await extract("broken.csv", text);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0].line).toBe(3);
    expect(result.issues[0].reason).toBe(`unterminated quoted field: the quote opened on line 3 is still open when ${MAX_RECORD_LINES} lines pass`);
    expect(result.records).toBe(2 + filler.length);
    expect(staged.trimEnd().split("\n").at(-1)).toBe(`${3 + filler.length},${filler.at(-1)}`);
  });

  it("counts a header-only file as zero records", async () => {
    const {result} = await extract("empty-day.csv", `${HEADER}\n`);
    expect(result.records).toBe(0);
  });

  const failures: [string, string | Buffer, string][] = [
    ["empty.csv", "", "empty.csv: the file is empty (0 bytes); expected a header line"],
    ["empty.csv.gz", "", "empty.csv.gz: the file is empty after decompression (0 bytes); expected a header line"],
    ["semicolons.csv", `${HEADER.replaceAll(",", ";")}\n`, "semicolons.csv: the header is separated by ';', not by commas"],
    ["no-header.csv", `${row(1)}\n`, 'no-header.csv: the first line looks like a data row, not a header: "1,85123A,WHITE MUG'],
    ["missing.csv", "InvoiceNo,StockCode,Quantity\n", "missing.csv: missing required columns InvoiceDate, UnitPrice (or Price)"],
    [
      "binary.csv",
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      "binary.csv: the first line is not UTF-8 text; this is not a CSV text file"
    ]
  ];
  for (const [name, content, message] of failures) {
    it(`fails ${name} with the file name and the reason`, async () => {
      await expect(extract(name, content)).rejects.toThrow(message);
      await expect(extract(name, content)).rejects.toBeInstanceOf(InputFileError);
    });
  }

  it("fails a truncated gzip file instead of reading part of it", async () => {
    const whole = gzipSync(`${HEADER}\n${Array.from({length: 2000}, (_, index) => row(index)).join("\n")}\n`);
    const absolutePath = join(space.raw, "cut.csv.gz");
    writeFileSync(absolutePath, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(extractFile({path: "cut.csv.gz", absolutePath}, join(space.dir, "staged.csv"))).rejects.toThrow(
      "cut.csv.gz: the gzip stream is truncated (the file ends before the compressed data does); the copy is incomplete, copy it again from its source"
    );
  });

  it("fails corrupt gzip data", async () => {
    const absolutePath = join(space.raw, "corrupt.csv.gz");
    const bytes = gzipSync(`${HEADER}\n${row(1)}\n`);
    bytes.fill(0xff, 12, 24);
    writeFileSync(absolutePath, bytes);
    await expect(extractFile({path: "corrupt.csv.gz", absolutePath}, join(space.dir, "staged.csv"))).rejects.toThrow(
      /^corrupt\.csv\.gz: corrupt gzip data \(.+\); copy the file again from its source$/
    );
  });
});
