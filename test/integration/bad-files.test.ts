import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {afterAll, describe, expect, it} from "vitest";
import {InputFilesError} from "../../loaders/errors.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {readManifest} from "../../loaders/run/manifest.js";
import {SNAPSHOT_NAMES} from "../../loaders/schema/index.js";
import type {IngestState} from "../../loaders/stages/ingest.js";
import {startCli} from "../helpers/cli.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {csv, HEADER, HEADER_II, workspace, type Workspace} from "../helpers/fixtures.js";

const spaces: Workspace[] = [];
afterAll(() => spaces.forEach((space) => space.dispose()));
const fresh = () => {
  const space = workspace("retail-bad-files-");
  spaces.push(space);
  return space;
};

const day1 = csv(HEADER, "536365,85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom");
const day2 = csv(
  HEADER,
  "536400,22423,CAKESTAND,1,2010-12-02 09:00:00,12.75,12347,Iceland",
  "536401,22423,CAKESTAND,2,2010-12-02 09:05:00,12.75,12347,Iceland"
);
const day3 = csv(HEADER, "536500,22720,TIN,3,2010-12-03 10:00:00,4.95,12348,Finland");
const mostlyBad = csv(HEADER, "1,A,X,abc,2010-12-02 10:00:00,1.0,,UK", "2,A,X,1,2010-12-02 10:00:00,1.0,,UK");

/** Writes the bad files, each with the reason it is bad. */
function writeBadFiles(space: Workspace): Record<string, string> {
  space.write("binary.csv", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  space.write("empty.csv", "");
  space.write("semicolon.csv", `${HEADER.replaceAll(",", ";")}\n1;2;3;4;5;6;7;8\n`);
  space.write("missing-column.csv", "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,CustomerID,Country\n1,2,3,4,5,6,7\n");
  space.write("mostly-bad.csv", mostlyBad);
  const whole = gzipSync(
    Buffer.from(csv(HEADER, ...Array.from({length: 3000}, (_, index) => `${index},85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom`)))
  );
  writeFileSync(join(space.raw, "cut.csv.gz"), whole.subarray(0, whole.length - 100));
  return {
    "binary.csv": "the first line is not UTF-8 text; this is not a CSV text file (or it is not saved as UTF-8)",
    "cut.csv.gz": "the gzip stream is truncated (the file ends before the compressed data does); the copy is incomplete, copy it again from its source",
    "empty.csv": "the file is empty (0 bytes); expected a header line",
    "missing-column.csv":
      'missing required column UnitPrice (or Price); found 7 columns: "InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "CustomerID", "Country". ' +
      `Expected the Online Retail header (${HEADER}) or Online Retail II (${HEADER_II})`,
    "mostly-bad.csv":
      "1 of 2 records (50%) could not be parsed, more than the allowed 5.0% (first problems: line 2: Quantity is not a whole number: 'abc'); " +
      "fix the file, or raise maxQuarantineShare (--max-quarantine-share)",
    "semicolon.csv": `the header is separated by ';', not by commas; save the file as comma-separated CSV (header: ${HEADER})`
  };
}

const snapshotBytes = (space: Workspace) =>
  Object.fromEntries(SNAPSHOT_NAMES.map((name) => [name, readFileSync(join(space.warehouse, "snapshots", `${name}.parquet`)).toString("base64")]));
const inputFiles = (space: Workspace) =>
  readSnapshot(space.warehouse, "input_files", "SELECT path, status, reason, records, rows, quarantined FROM t ORDER BY path");
const lines = async (space: Workspace, table: string) =>
  (await readSnapshot(space.warehouse, table, "SELECT source_file, source_line FROM t ORDER BY ALL")).map((row) => `${row.source_file}:${row.source_line}`);

describe("bad files, default policy (badFiles: fail)", () => {
  it("fails the run naming every bad file and its reason, and leaves the snapshots byte-identical", async () => {
    const space = fresh();
    space.write("2010-12-01.csv", day1);
    await runPipeline(space.options);
    const before = snapshotBytes(space);
    space.write("2010-12-02.csv", day2);
    const reasons = writeBadFiles(space);
    const error = await runPipeline(space.options).catch((caught) => caught);
    expect(error).toBeInstanceOf(InputFilesError);
    // Unreadable files are found before anything is loaded; the quarantine share is known only after.
    const unreadable = Object.entries(reasons).filter(([path]) => path !== "mostly-bad.csv");
    expect(error.message).toBe(`5 input files cannot be loaded:\n${unreadable.map(([path, reason]) => `  - ${path}: ${reason}`).join("\n")}`);
    expect(snapshotBytes(space)).toEqual(before);

    for (const [path] of unreadable) space.remove(path);
    await expect(runPipeline(space.options)).rejects.toThrow(`mostly-bad.csv: ${reasons["mostly-bad.csv"]}`);
    expect(snapshotBytes(space)).toEqual(before);
    expect(
      readManifest(space.warehouse)
        .runs.slice(0, 2)
        .map((run) => run.status)
    ).toEqual(["failed", "failed"]);
  });
});

describe("bad files, skip policy (badFiles: skip, --skip-bad-files)", () => {
  const space = fresh();
  let reasons: Record<string, string>;

  it("records each bad file as rejected with its reason and goes on without its records", async () => {
    space.write("2010-12-01.csv", day1);
    await runPipeline(space.options);
    space.write("2010-12-02.csv", day2);
    reasons = writeBadFiles(space);
    const summary = await runPipeline({...space.options, badFiles: "skip"});
    expect(summary.run.status).toBe("succeeded");
    expect(summary.run.rows).toEqual({read: 3, parsed: 3, quarantined: 0});

    expect(await inputFiles(space)).toEqual([
      {path: "2010-12-01.csv", status: "ingested", reason: null, records: 1, rows: 1, quarantined: 0},
      {path: "2010-12-02.csv", status: "ingested", reason: null, records: 2, rows: 2, quarantined: 0},
      {path: "binary.csv", status: "rejected", reason: reasons["binary.csv"], records: 0, rows: 0, quarantined: 0},
      {path: "cut.csv.gz", status: "rejected", reason: reasons["cut.csv.gz"], records: 0, rows: 0, quarantined: 0},
      {path: "empty.csv", status: "rejected", reason: reasons["empty.csv"], records: 0, rows: 0, quarantined: 0},
      {path: "missing-column.csv", status: "rejected", reason: reasons["missing-column.csv"], records: 0, rows: 0, quarantined: 0},
      {path: "mostly-bad.csv", status: "rejected", reason: reasons["mostly-bad.csv"], records: 2, rows: 0, quarantined: 0},
      {path: "semicolon.csv", status: "rejected", reason: reasons["semicolon.csv"], records: 0, rows: 0, quarantined: 0}
    ]);
    expect(await lines(space, "raw_lines")).toEqual(["2010-12-01.csv:2", "2010-12-02.csv:2", "2010-12-02.csv:3"]);
    expect(await lines(space, "quarantine")).toEqual([]);
    const rejected = (readManifest(space.warehouse).stages.ingest.state as IngestState).rejected!;
    expect(Object.values(rejected).map((file) => file.path)).toEqual([
      "binary.csv",
      "cut.csv.gz",
      "empty.csv",
      "missing-column.csv",
      "mostly-bad.csv",
      "semicolon.csv"
    ]);
    expect(summary.run.stages.find((stage) => stage.name === "ingest")?.detail).toContain("6 rejected (skipped)");

    const checks = await readSnapshot(
      space.warehouse,
      "data_quality",
      `SELECT "check", status, observed FROM t WHERE "check" IN ('rejected_files', 'reconcile_records', 'empty_files') ORDER BY 1`
    );
    expect(checks).toEqual([
      {check: "empty_files", status: "pass", observed: 0},
      {check: "reconcile_records", status: "pass", observed: 0},
      {check: "rejected_files", status: "fail", observed: 6}
    ]);
  });

  it("says so in the command-line summary (--skip-bad-files)", async () => {
    space.write("2010-12-03.csv", day3);
    const cli = startCli(["--raw", space.raw, "--warehouse", space.warehouse, "--progress", "plain", "--skip-bad-files"]);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain("rejected   6 bad files skipped (badFiles: skip), none of their records used:\n");
    expect(cli.stdout()).toContain(`             mostly-bad.csv: ${reasons["mostly-bad.csv"]}\n`);
  });

  it("picks up a corrected copy of a rejected file (same path, new content) as ingested", async () => {
    space.write("mostly-bad.csv", csv(HEADER, "536600,22720,TIN,1,2010-12-04 10:00:00,4.95,12348,Finland"));
    space.write("cut.csv.gz", csv(HEADER, "536601,22720,TIN,2,2010-12-04 11:00:00,4.95,12348,Finland"));
    await runPipeline({...space.options, badFiles: "skip"});
    const files = await inputFiles(space);
    expect(files.filter((file) => file.status === "rejected").map((file) => file.path)).toEqual([
      "binary.csv",
      "empty.csv",
      "missing-column.csv",
      "semicolon.csv"
    ]);
    expect(files.find((file) => file.path === "mostly-bad.csv")).toEqual({
      path: "mostly-bad.csv",
      status: "ingested",
      reason: null,
      records: 1,
      rows: 1,
      quarantined: 0
    });
    expect(await lines(space, "raw_lines")).toEqual([
      "2010-12-01.csv:2",
      "2010-12-02.csv:2",
      "2010-12-02.csv:3",
      "2010-12-03.csv:2",
      "cut.csv.gz:2",
      "mostly-bad.csv:2"
    ]);

    // The same snapshots as a cold run over the same files.
    const cold = fresh();
    for (const name of [
      "2010-12-01.csv",
      "2010-12-02.csv",
      "2010-12-03.csv",
      "mostly-bad.csv",
      "cut.csv.gz",
      "binary.csv",
      "empty.csv",
      "missing-column.csv",
      "semicolon.csv"
    ]) {
      writeFileSync(join(cold.raw, name), readFileSync(join(space.raw, name)));
    }
    await runPipeline({...cold.options, badFiles: "skip"});
    for (const name of ["raw_lines", "quarantine", "input_files", "sales"]) {
      expect(
        readFileSync(join(cold.warehouse, "snapshots", `${name}.parquet`)).equals(readFileSync(join(space.warehouse, "snapshots", `${name}.parquet`))),
        name
      ).toBe(true);
    }
  });

  it("still fails when every file is bad, naming them", async () => {
    const only = fresh();
    only.write("empty.csv", "");
    await expect(runPipeline({...only.options, badFiles: "skip"})).rejects.toThrow("empty.csv: the file is empty (0 bytes); expected a header line");
  });
});
