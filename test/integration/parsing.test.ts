import {readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {InputFilesError} from "../../loaders/errors.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {readManifest} from "../../loaders/run/manifest.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {csv, HEADER, HEADER_II, workspace, type Workspace} from "../helpers/fixtures.js";

let space: Workspace;
beforeEach(() => {
  space = workspace();
});
afterEach(() => space.dispose());

const run = (overrides = {}) => runPipeline({...space.options, ...overrides});
const rawLines = () => readSnapshot(space.warehouse, "raw_lines", "SELECT * FROM t ORDER BY source_file, source_line");
const quarantine = () =>
  readSnapshot(space.warehouse, "quarantine", "SELECT source_file, source_line, problem, reason, raw_text FROM t ORDER BY source_file, source_line");

describe("parsing the accepted input variants", () => {
  it("reads both headers, both date forms, all customer id spellings, quoted commas, plain and gzip", async () => {
    space.write(
      "a/2010-12-01.csv",
      csv(
        HEADER,
        '536365,85123A,"WHITE HANGING HEART, T-LIGHT",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
        "536366,71053,WHITE METAL LANTERN,-2,2010-12-01 08:28:00,3.39,,France"
      )
    );
    space.write(
      "b/2011-01-05.csv.gz",
      csv(
        HEADER_II,
        '489434,85048,"15CM CHRISTMAS GLASS BALL 20 LIGHTS",12,1/5/2011 7:45,6.95,13085,United Kingdom',
        "C489435,22041,RECORD FRAME,-1,12/31/2011 23:59,1.5,13085.0,EIRE"
      )
    );
    const summary = await run();
    expect(summary.run.rows).toEqual({read: 4, parsed: 4, quarantined: 0});
    expect(await rawLines()).toEqual([
      {
        source_file: "a/2010-12-01.csv",
        source_line: 2,
        invoice_no: "536365",
        stock_code: "85123A",
        description: "WHITE HANGING HEART, T-LIGHT",
        quantity: 6,
        invoice_date: new Date("2010-12-01T08:26:00Z"),
        unit_price: 2.55,
        customer_id: 17850,
        country: "United Kingdom"
      },
      {
        source_file: "a/2010-12-01.csv",
        source_line: 3,
        invoice_no: "536366",
        stock_code: "71053",
        description: "WHITE METAL LANTERN",
        quantity: -2,
        invoice_date: new Date("2010-12-01T08:28:00Z"),
        unit_price: 3.39,
        customer_id: null,
        country: "France"
      },
      {
        source_file: "b/2011-01-05.csv.gz",
        source_line: 2,
        invoice_no: "489434",
        stock_code: "85048",
        description: "15CM CHRISTMAS GLASS BALL 20 LIGHTS",
        quantity: 12,
        invoice_date: new Date("2011-01-05T07:45:00Z"),
        unit_price: 6.95,
        customer_id: 13085,
        country: "United Kingdom"
      },
      {
        source_file: "b/2011-01-05.csv.gz",
        source_line: 3,
        invoice_no: "C489435",
        stock_code: "22041",
        description: "RECORD FRAME",
        quantity: -1,
        invoice_date: new Date("2011-12-31T23:59:00Z"),
        unit_price: 1.5,
        customer_id: 13085,
        country: "EIRE"
      }
    ]);
    const files = await readSnapshot(space.warehouse, "input_files", "SELECT path, compressed, variant, records, rows, quarantined FROM t ORDER BY path");
    expect(files).toEqual([
      {path: "a/2010-12-01.csv", compressed: false, variant: "online-retail", records: 2, rows: 2, quarantined: 0},
      {path: "b/2011-01-05.csv.gz", compressed: true, variant: "online-retail-ii", records: 2, rows: 2, quarantined: 0}
    ]);
  });
});

describe("bad rows go to quarantine with their location and reason", () => {
  it("names the column, the value and the line of every unparsable value", async () => {
    const good = Array.from({length: 20}, (_, index) => `5400${String(index).padStart(2, "0")},22423,CAKESTAND,1,2011-01-04 10:00:00,12.75,12347,Iceland`);
    space.write(
      "day.csv",
      csv(
        HEADER_II,
        "540100,22423,CAKESTAND,abc,2011-01-04 10:00:00,12.75,12347,Iceland",
        "540101,22423,CAKESTAND,2,2011-13-45 10:00,12.75,12347,Iceland",
        "540102,22423,CAKESTAND,2,2011-01-04 10:00:00,£12.75,12347.5,Iceland",
        ",,CAKESTAND,2,,12.75,,Iceland",
        "540103,22423,TOO,MANY,FIELDS,2,2011-01-04 10:00:00,12.75,12347,Iceland",
        "540104,22423,TOO FEW",
        '540105,22423,"BAD "QUOTE" HERE",1,2011-01-04 10:00:00,1.0,,Iceland',
        "540106,22423,CAKESTAND,6.5,2011-01-04 10:00:00,1e3,0x10,Iceland",
        ...good
      )
    );
    await run({maxQuarantineShare: 0.5});
    expect(await quarantine()).toEqual([
      {
        source_file: "day.csv",
        source_line: 2,
        problem: "value",
        reason: "Quantity is not a whole number: 'abc'",
        raw_text: "540100,22423,CAKESTAND,abc,2011-01-04 10:00:00,12.75,12347,Iceland"
      },
      {
        source_file: "day.csv",
        source_line: 3,
        problem: "value",
        reason: "InvoiceDate is not a valid date in YYYY-MM-DD HH:MM:SS or M/D/YYYY H:MM form: '2011-13-45 10:00'",
        raw_text: "540101,22423,CAKESTAND,2,2011-13-45 10:00,12.75,12347,Iceland"
      },
      {
        source_file: "day.csv",
        source_line: 4,
        problem: "value",
        reason: "Price is not a number: '£12.75'; Customer ID is not a whole number: '12347.5'",
        raw_text: "540102,22423,CAKESTAND,2,2011-01-04 10:00:00,£12.75,12347.5,Iceland"
      },
      {
        source_file: "day.csv",
        source_line: 5,
        problem: "value",
        reason: "Invoice is empty; StockCode is empty; InvoiceDate is empty",
        raw_text: ",,CAKESTAND,2,,12.75,,Iceland"
      },
      {
        source_file: "day.csv",
        source_line: 6,
        problem: "structure",
        reason: "expected 8 fields, found 10",
        raw_text: "540103,22423,TOO,MANY,FIELDS,2,2011-01-04 10:00:00,12.75,12347,Iceland"
      },
      {source_file: "day.csv", source_line: 7, problem: "structure", reason: "expected 8 fields, found 3", raw_text: "540104,22423,TOO FEW"},
      {
        source_file: "day.csv",
        source_line: 8,
        problem: "structure",
        reason: "badly quoted field: a quote inside an unquoted field, or text after a closing quote",
        raw_text: '540105,22423,"BAD "QUOTE" HERE",1,2011-01-04 10:00:00,1.0,,Iceland'
      },
      {
        source_file: "day.csv",
        source_line: 9,
        problem: "value",
        reason: "Quantity is not a whole number: '6.5'; Price is not a number: '1e3'; Customer ID is not a whole number: '0x10'",
        raw_text: "540106,22423,CAKESTAND,6.5,2011-01-04 10:00:00,1e3,0x10,Iceland"
      }
    ]);
    const [file] = await readSnapshot(space.warehouse, "input_files", "SELECT records, rows, quarantined FROM t");
    expect(file).toEqual({records: 28, rows: 20, quarantined: 8});
    const checks = await readSnapshot(
      space.warehouse,
      "data_quality",
      `SELECT "check", status, observed FROM t WHERE "check" IN ('reconcile_records', 'quarantined_records')`
    );
    expect(checks).toEqual([
      {check: "reconcile_records", status: "pass", observed: 0},
      {check: "quarantined_records", status: "fail", observed: 8}
    ]);
  });

  it("quarantines lines with bytes that are not UTF-8 and keeps their text", async () => {
    const rows = Array.from({length: 30}, (_, index) => `5500${index},84029G,MUG,6,2011-01-04 10:00:00,3.39,,France`);
    space.write(
      "latin1.csv",
      Buffer.concat([
        Buffer.from(`${HEADER}\n${rows.join("\n")}\n550099,84029G,CAF`),
        Buffer.from([0xc9]),
        Buffer.from(" MUG,6,2011-01-04 10:00:00,3.39,,France\n")
      ])
    );
    await run();
    expect(await quarantine()).toEqual([
      {
        source_file: "latin1.csv",
        source_line: 32,
        problem: "encoding",
        reason: "invalid UTF-8: byte 0xC9 at position 18 of line 32; the file may be Latin-1 or Windows-1252 encoded, save it as UTF-8",
        raw_text: "550099,84029G,CAFÉ MUG,6,2011-01-04 10:00:00,3.39,,France"
      }
    ]);
  });
});

describe("files that cannot be read fail the run and leave the previous snapshots untouched", () => {
  const good = csv(HEADER, "536365,85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom");
  const snapshotState = () =>
    readManifest(space.warehouse).tables &&
    Object.fromEntries(
      ["raw_lines", "sales", "daily_sales", "data_quality"].map((name) => {
        const path = join(space.warehouse, "snapshots", `${name}.parquet`);
        return [name, {bytes: readFileSync(path).toString("base64"), mtime: statSync(path).mtimeMs}];
      })
    );

  const cases: [string, string | Buffer, string][] = [
    [
      "missing-column.csv",
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,CustomerID,Country\n1,2,3,4,5,6,7\n",
      "missing-column.csv: missing required column UnitPrice (or Price); found 7 columns"
    ],
    ["semicolon.csv", `${HEADER.replaceAll(",", ";")}\n1;2;3;4;5;6;7;8\n`, "semicolon.csv: the header is separated by ';', not by commas"],
    ["empty.csv", "", "empty.csv: the file is empty (0 bytes); expected a header line"],
    [
      "mostly-bad.csv",
      csv(HEADER, "1,A,X,abc,2010-12-02 10:00:00,1.0,,UK", "2,A,X,1,2010-12-02 10:00:00,1.0,,UK"),
      "mostly-bad.csv: 1 of 2 records (50%) could not be parsed, more than the allowed 5.0% (first problems: line 2: Quantity is not a whole number: 'abc'); fix the file, or raise maxQuarantineShare (--max-quarantine-share)"
    ]
  ];
  for (const [name, content, message] of cases) {
    it(`${name}: ${message.slice(name.length + 2, name.length + 40)}…`, async () => {
      space.write("2010-12-01.csv", good);
      await run();
      const before = snapshotState();
      space.write(name, content);
      await expect(run()).rejects.toThrow(message);
      expect(snapshotState()).toEqual(before);
      const [failed] = readManifest(space.warehouse).runs;
      expect(failed.status).toBe("failed");
      expect(failed.error).toContain(message);
    });
  }

  it("a truncated gzip file fails the run and lists every bad file at once", async () => {
    space.write("2010-12-01.csv", good);
    await run();
    const before = snapshotState();
    const gz = space.write(
      "cut.csv.gz",
      csv(HEADER, ...Array.from({length: 3000}, (_, index) => `${index},85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom`))
    );
    const whole = readFileSync(gz);
    (await import("node:fs")).writeFileSync(gz, whole.subarray(0, whole.length - 100));
    space.write("empty.csv", "");
    const error = await run().catch((caught) => caught);
    expect(error).toBeInstanceOf(InputFilesError);
    expect(error.message).toBe(
      "2 input files cannot be loaded:\n" +
        "  - cut.csv.gz: the gzip stream is truncated (the file ends before the compressed data does); the copy is incomplete, copy it again from its source\n" +
        "  - empty.csv: the file is empty (0 bytes); expected a header line"
    );
    expect(snapshotState()).toEqual(before);
  });
});

describe("deliveries", () => {
  const day1 = csv(HEADER, "536365,85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom");
  const day2 = csv(
    HEADER,
    "536400,22423,CAKESTAND,1,2010-12-02 09:00:00,12.75,12347,Iceland",
    "536401,22423,CAKESTAND,2,2010-12-02 09:05:00,12.75,12347,Iceland"
  );

  it("ingests the same content once, however many times it is delivered", async () => {
    space.write("2010-12-01.csv", day1);
    space.write("2010-12-02.csv", day2);
    space.write("resent/2010-12-02-copy.csv", day2);
    const summary = await run();
    expect(summary.run.files).toMatchObject({total: 3, duplicates: 1, ingested: 2});
    expect((await rawLines()).map((row) => `${row.source_file}:${row.source_line}`)).toEqual(["2010-12-01.csv:2", "2010-12-02.csv:2", "2010-12-02.csv:3"]);
    const files = await readSnapshot(space.warehouse, "input_files", "SELECT path, records, duplicate_of FROM t ORDER BY path");
    expect(files).toEqual([
      {path: "2010-12-01.csv", records: 1, duplicate_of: null},
      {path: "2010-12-02.csv", records: 2, duplicate_of: null},
      {path: "resent/2010-12-02-copy.csv", records: 0, duplicate_of: "2010-12-02.csv"}
    ]);
    const [check] = await readSnapshot(space.warehouse, "data_quality", `SELECT status, details FROM t WHERE "check" = 'duplicate_files'`);
    expect(check).toEqual({status: "fail", details: "resent/2010-12-02-copy.csv = 2010-12-02.csv"});
  });

  it("keeps rows attributed to the first path when a copy arrives later under another name", async () => {
    space.write("2010-12-01.csv", day1);
    space.write("2010-12-02.csv", day2);
    await run();
    space.write("resent/2010-12-02-copy.csv", day2);
    const second = await run();
    expect(second.run.files).toMatchObject({added: 1, duplicates: 1, ingested: 0});
    expect((await rawLines()).map((row) => `${row.source_file}:${row.source_line}`)).toEqual(["2010-12-01.csv:2", "2010-12-02.csv:2", "2010-12-02.csv:3"]);
    expect(await readSnapshot(space.warehouse, "data_quality", `SELECT "check" FROM t WHERE severity = 'error' AND status <> 'pass'`)).toEqual([]);
  });

  it("replaces a file's rows when it is delivered again with new content, and drops them when it is removed", async () => {
    space.write("2010-12-01.csv", day1);
    space.write("2010-12-02.csv", day2);
    await run();
    space.write("2010-12-02.csv", csv(HEADER, "536400,22423,CAKESTAND,5,2010-12-02 09:00:00,12.75,12347,Iceland"));
    const second = await run();
    expect(second.run.files).toMatchObject({changed: 1, ingested: 1});
    expect((await rawLines()).map((row) => [row.source_file, row.quantity])).toEqual([
      ["2010-12-01.csv", 6],
      ["2010-12-02.csv", 5]
    ]);
    space.remove("2010-12-01.csv");
    const third = await run();
    expect(third.run.files).toMatchObject({removed: 1, ingested: 0});
    expect((await rawLines()).map((row) => row.source_file)).toEqual(["2010-12-02.csv"]);
  });

  it("accepts a header-only file and reports it", async () => {
    space.write("2010-12-01.csv", day1);
    space.write("2010-12-25.csv", `${HEADER}\n`);
    await run();
    const [check] = await readSnapshot(space.warehouse, "data_quality", `SELECT severity, status, observed, details FROM t WHERE "check" = 'empty_files'`);
    expect(check).toEqual({severity: "warn", status: "fail", observed: 1, details: "2010-12-25.csv"});
  });

  it("fails clearly when there are no input files", async () => {
    await expect(run()).rejects.toThrow(`no input files found under ${space.raw} (looking for *.csv and *.csv.gz files); add data or pass --raw DIR`);
  });
});
