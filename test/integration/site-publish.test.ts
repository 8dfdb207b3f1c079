import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runPipeline} from "../../loaders/pipeline.js";
import {packedOrder, packSnapshot, storedInOrder} from "../../loaders/site/packed.js";
import {EarlyPacker} from "../../loaders/site/early-pack.js";
import {StageFailedError} from "../../loaders/errors.js";
import {publishSite, sitePath} from "../../loaders/site/publish.js";
import {readManifest} from "../../loaders/run/manifest.js";
import {browserForm, SNAPSHOT_NAMES} from "../../loaders/schema/index.js";
import {sha256File} from "../../loaders/run/files.js";
import type {Stage} from "../../loaders/run/stage.js";
import {STAGES} from "../../loaders/stages/index.js";
import {readSnapshot} from "../helpers/duckdb.js";
import {csv, HEADER, workspace} from "../helpers/fixtures.js";
import {DuckDBInstance} from "@duckdb/node-api";

const space = workspace("retail-publish-");
const siteFile = (path: string) => join(space.site, path);
const mtimes = () => Object.fromEntries(SNAPSHOT_NAMES.map((name) => [name, statSync(siteFile(sitePath(name))).mtimeMs]));

let firstRun: Awaited<ReturnType<typeof runPipeline>>;
beforeAll(async () => {
  space.write(
    "2010-12-01.csv",
    csv(HEADER, "536365,85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom", '536366,22633,"HAND WARMER, RED",6,2010-12-01 08:28:00,1.85,,France')
  );
  firstRun = await runPipeline(space.options);
});
afterAll(() => space.dispose());

async function readPacked(file: string, sql: string): Promise<{rows: Record<string, unknown>[]; columns: unknown[][]}> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(`ATTACH '${file}' AS packed (READ_ONLY)`);
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
    const columns = (
      await connection.runAndReadAll("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'packed' ORDER BY column_index")
    ).getRows();
    return {rows, columns};
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("the site's copy of the snapshots", () => {
  it("ships each snapshot once, in the form its schema names: line- and invoice-grain ones packed, the rest as Parquet", () => {
    for (const name of SNAPSHOT_NAMES) {
      const packed = siteFile(`data/packed/${name}.duckdb`);
      const parquet = siteFile(`data/${name}.parquet`);
      expect([name, existsSync(packed), existsSync(parquet)]).toEqual([name, browserForm(name) === "packed", browserForm(name) === "parquet"]);
    }
    expect(browserForm("sales")).toBe("packed");
    expect(browserForm("orders")).toBe("packed");
    expect(browserForm("daily_sales")).toBe("parquet");
    // A Parquet copy is the warehouse's snapshot byte for byte.
    expect(readFileSync(siteFile("data/daily_sales.parquet")).equals(readFileSync(join(space.warehouse, "snapshots", "daily_sales.parquet")))).toBe(true);
    const manifest = JSON.parse(readFileSync(siteFile("data/manifest.json"), "utf8"));
    expect(manifest.tables.sales.rows).toBe(2);
    const schema = JSON.parse(readFileSync(siteFile("data/schema.json"), "utf8")) as {name: string; browser: string}[];
    expect(schema.find((table) => table.name === "sales")?.browser).toBe("packed");
  });

  it("packs exactly the snapshot's rows and column types into a read-only database", async () => {
    const {rows, columns} = await readPacked(siteFile("data/packed/sales.duckdb"), "SELECT * FROM packed.sales ORDER BY source_line");
    const original = await readSnapshot(space.warehouse, "sales", "SELECT * FROM t ORDER BY source_line");
    expect(rows.map((row) => [row.invoice_no, row.description, row.customer_id, row.revenue])).toEqual([
      ["536365", "MUG", 17850, 15.3],
      ["536366", "HAND WARMER, RED", null, 11.1]
    ]);
    expect(rows.map((row) => ({...row, source_line: Number(row.source_line)}))).toEqual(original);
    expect(columns).toContainEqual(["invoice_date", "TIMESTAMP"]);
    expect(columns).toContainEqual(["source_line", "BIGINT"]);
  });

  it("packs a snapshot on its own too (one DuckDB instance each)", async () => {
    const target = join(space.dir, "orders.duckdb");
    await packSnapshot(join(space.warehouse, "snapshots", "orders.parquet"), target, "orders");
    expect((await readPacked(target, "SELECT invoice_no FROM packed.orders ORDER BY 1")).rows).toEqual([{invoice_no: "536365"}, {invoice_no: "536366"}]);
    // Stored by date (a date filter reads only its days' blocks): line items then by file and line, invoices by number.
    expect([packedOrder("sales"), packedOrder("orders"), packedOrder("recommendations"), packedOrder("monthly_product_sales")]).toEqual([
      ["invoice_date", "source_file", "source_line"],
      ["invoice_date", "invoice_no"],
      ["customer_id", "mode", "rank"],
      []
    ]);
  });

  it("stores a packed table in its order, sorting only a file whose rows are not in it already", async () => {
    const instance = await DuckDBInstance.create(":memory:", {threads: "1"});
    const connection = await instance.connect();
    // Lines as (day, file, line): in order, one pair swapped, the same day in two files, and a NULL date last or between.
    const cases = {
      ordered: [
        ["2010-12-01 08:00", "a", 1],
        ["2010-12-01 08:00", "a", 2],
        ["2010-12-01 09:00", "a", 3],
        ["2010-12-02 08:00", "b", 1]
      ],
      swapped: [
        ["2010-12-01 08:00", "a", 1],
        ["2010-12-01 09:00", "a", 3],
        ["2010-12-01 08:00", "a", 2],
        ["2010-12-02 08:00", "b", 1]
      ],
      files: [
        ["2010-12-01 08:00", "b", 1],
        ["2010-12-01 08:00", "a", 9]
      ],
      undatedLast: [
        ["2010-12-01 08:00", "a", 1],
        [null, "a", 2]
      ],
      undated: [
        ["2010-12-01 08:00", "a", 1],
        [null, "a", 2],
        ["2010-12-01 09:00", "a", 3]
      ]
    } as const;
    const packedLines = async (name: string) =>
      (await readPacked(join(space.dir, `${name}.duckdb`), "SELECT source_file || source_line AS line FROM packed.sales ORDER BY rowid")).rows.map(
        (row) => row.line
      );
    try {
      const decided: Record<string, boolean> = {};
      for (const [name, lines] of Object.entries(cases)) {
        const parquet = join(space.dir, `${name}.parquet`);
        const values = lines.map(([day, file, line]) => `(${day === null ? "NULL" : `TIMESTAMP '${day}'`}, '${file}', ${line})`).join(", ");
        await connection.run(`COPY (SELECT * FROM (VALUES ${values}) AS t(invoice_date, source_file, source_line)) TO '${parquet}' (FORMAT parquet)`);
        decided[name] = await storedInOrder(connection, `read_parquet('${parquet}')`, packedOrder("sales"));
        await packSnapshot(parquet, join(space.dir, `${name}.duckdb`), "sales");
      }
      expect(decided).toEqual({ordered: true, swapped: false, files: false, undatedLast: false, undated: false});
      expect(await packedLines("ordered")).toEqual(["a1", "a2", "a3", "b1"]);
      expect(await packedLines("swapped")).toEqual(["a1", "a2", "a3", "b1"]);
      expect(await packedLines("files")).toEqual(["a9", "b1"]);
      expect(await packedLines("undated")).toEqual(["a1", "a3", "a2"]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("packs one table after another on a shared instance while another connection's transaction is open", async () => {
    // The run's own instance (early-pack.ts): a stage's long transaction may have seen the previous packed
    // file attached; attaching the next one under the same name failed the whole instance.
    const instance = await DuckDBInstance.create(":memory:");
    const stage = await instance.connect();
    try {
      await stage.run("BEGIN TRANSACTION");
      for (const name of ["orders", "sales", "returns"]) {
        // The transaction lists the attached databases while this pack runs, so it sees its file.
        let packing = true;
        const pack = packSnapshot(join(space.warehouse, "snapshots", `${name}.parquet`), join(space.dir, `shared-${name}.duckdb`), name, instance).finally(
          () => (packing = false)
        );
        while (packing) await stage.runAndReadAll("SELECT count(*) FROM duckdb_tables()");
        await pack;
      }
      await stage.run("COMMIT");
    } finally {
      stage.closeSync();
      instance.closeSync();
    }
    expect((await readPacked(join(space.dir, "shared-sales.duckdb"), "SELECT count(*)::INTEGER AS n FROM packed.sales")).rows).toEqual([{n: 2}]);
  });

  it("rewrites only what changed: nothing but the run history and manifest when the data did not", async () => {
    const before = mtimes();
    const forced = await runPipeline({...space.options, force: true});
    expect(forced.changed).toEqual([]);
    expect(forced.site.written).toEqual(["data/pipeline_runs.parquet", "data/manifest.json"]);
    const after = mtimes();
    for (const name of SNAPSHOT_NAMES) if (name !== "pipeline_runs") expect([name, after[name]]).toEqual([name, before[name]]);
  });

  it("rewrites the snapshots new data changes, and their packed copies", async () => {
    space.write("2010-12-02.csv", csv(HEADER, "536400,22423,CAKESTAND,1,2010-12-02 09:00:00,12.75,12347,Iceland"));
    const run = await runPipeline(space.options);
    expect(run.site.written).toContain("data/packed/sales.duckdb");
    expect(run.site.written).toContain("data/packed/orders.duckdb");
    expect(run.site.written).toContain("data/daily_sales.parquet");
    expect((await readPacked(siteFile("data/packed/sales.duckdb"), "SELECT count(*)::INTEGER AS n FROM packed.sales")).rows).toEqual([{n: 3}]);
  });

  it("puts back a deleted file and removes files it did not write, even when the warehouse is up to date", async () => {
    rmSync(siteFile("data/packed/sales.duckdb"));
    writeFileSync(siteFile("data/sales.parquet"), "left over from an older site");
    writeFileSync(siteFile("data/packed/orders.duckdb.123.tmp"), "half-written");
    const run = await runPipeline(space.options);
    expect(run.upToDate).toBe(true);
    expect(run.site.written).toEqual(["data/packed/sales.duckdb"]);
    expect(existsSync(siteFile("data/packed/sales.duckdb"))).toBe(true);
    expect(existsSync(siteFile("data/sales.parquet"))).toBe(false);
    expect(existsSync(siteFile("data/packed/orders.duckdb.123.tmp"))).toBe(false);
  });

  it("stores the packed line tables by date, then file and line, whatever the files' order", async () => {
    space.write("z-early.csv", csv(HEADER, "536001,22423,CAKESTAND,2,2010-11-30 09:00:00,12.75,12347,Iceland"));
    await runPipeline(space.options);
    const {rows} = await readPacked(siteFile("data/packed/sales.duckdb"), "SELECT source_file, invoice_no FROM packed.sales");
    expect(rows).toEqual([
      {source_file: "z-early.csv", invoice_no: "536001"},
      {source_file: "2010-12-01.csv", invoice_no: "536365"},
      {source_file: "2010-12-01.csv", invoice_no: "536366"},
      {source_file: "2010-12-02.csv", invoice_no: "536400"}
    ]);
  });

  it("packs the line tables while later stages run, and publishes them only if the run succeeds", async () => {
    const siteFiles = () =>
      Object.fromEntries(
        ["data", "data/packed"].flatMap((dir) =>
          readdirSync(siteFile(dir), {withFileTypes: true})
            .filter((entry) => entry.isFile())
            .map((entry) => [`${dir}/${entry.name}`, sha256File(siteFile(`${dir}/${entry.name}`))])
        )
      );
    const before = siteFiles();
    // Fails after clean has written the new sales and the packer has started on them, before anything is published.
    const packing = siteFile(`data/packed/sales.duckdb.${process.pid}.tmp`);
    let seenPacking = false;
    const failing: Stage = {
      name: "failing_after_clean",
      description: "a stage that fails once sales are written",
      inputs: ["sales"],
      outputs: ["failing_after_clean_out"],
      module: "loaders/stages/clean.ts",
      async run() {
        for (let waited = 0; waited < 10_000 && !seenPacking; waited += 20) {
          seenPacking = existsSync(packing);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error("planned failure");
      }
    };
    space.write("2010-12-03.csv", csv(HEADER, "536500,22423,CAKESTAND,3,2010-12-03 09:00:00,12.75,12347,Iceland"));
    await expect(runPipeline(space.options, {stages: [...STAGES, failing]})).rejects.toThrow("planned failure");
    expect(seenPacking).toBe(true);
    const after = siteFiles();
    // The banner and the run history change; no line table does, and no packed file is left behind.
    const changed = Object.keys({...before, ...after}).filter((path) => before[path] !== after[path]);
    expect(changed.sort()).toEqual(["data/manifest.json", "data/pipeline-status.json"]);
    const run = await runPipeline(space.options);
    expect(run.site.written).toContain("data/packed/sales.duckdb");
    expect((await readPacked(siteFile("data/packed/sales.duckdb"), "SELECT count(*)::INTEGER AS n FROM packed.sales")).rows).toEqual([{n: 5}]);
    expect(Object.keys(siteFiles()).filter((path) => path.endsWith(".tmp"))).toEqual([]);
  });

  it("packs every line table beside the stages on a first run into a new site, none when publishing", () => {
    // A new site has no data/packed/ folder until publishing makes it; the early packs must not need it.
    expect(firstRun.site.written).toContain("data/packed/sales.duckdb");
    expect(firstRun.site.packedAtPublish).toEqual([]);
    expect(firstRun.site.earlyPackFailures).toEqual([]);
  });

  it("records why an early pack failed, and publishing packs the table again and says why it had to", async () => {
    const broken = join(space.dir, "broken-sales.parquet");
    writeFileSync(broken, "not a Parquet file");
    const instance = await DuckDBInstance.create(":memory:");
    try {
      const packer = new EarlyPacker(space.site, async () => instance);
      packer.offer("sales", "not-the-served-content", broken);
      expect([...(await packer.ready()).keys()]).toEqual([]);
      const failures = packer.failed();
      expect([...failures.keys()]).toEqual(["sales"]);
      expect(failures.get("sales")).toContain("broken-sales.parquet");
      const site = join(space.dir, "site-after-failed-pack");
      const published = await publishSite(site, space.warehouse, readManifest(space.warehouse), {earlyFailures: failures});
      expect(published.packedAtPublish).toContain("sales");
      expect(published.earlyPackFailures).toEqual([{name: "sales", error: failures.get("sales")}]);
    } finally {
      instance.closeSync();
    }
  });

  it("packs early only the line tables under its size limit; larger ones wait for publishing", async () => {
    const sales = join(space.warehouse, "snapshots", "sales.parquet");
    const size = statSync(sales).size;
    const instance = await DuckDBInstance.create(":memory:");
    try {
      for (const [maxBytes, packed] of [
        [size, ["sales"]],
        [size - 1, []]
      ] as const) {
        const packer = new EarlyPacker(space.site, async () => instance, {maxBytes});
        packer.offer("sales", "not-the-served-content", sales);
        expect([...(await packer.ready()).keys()]).toEqual(packed);
        await packer.discard();
      }
    } finally {
      instance.closeSync();
    }
  });

  it("packs at publishing time on the run's DuckDB when given it (its memory limit and spill folder), not on one of its own", async () => {
    const site = join(space.dir, "site-on-run-database");
    const instance = await DuckDBInstance.create(":memory:", {memory_limit: "64MB", temp_directory: join(space.dir, "spill"), threads: "1"});
    let asked = 0;
    try {
      const {written} = await publishSite(site, space.warehouse, readManifest(space.warehouse), {database: async () => (asked++, instance)});
      const packed = SNAPSHOT_NAMES.filter((name) => browserForm(name) === "packed");
      expect(written.filter((path) => path.endsWith(".duckdb")).sort()).toEqual(packed.map(sitePath).sort());
      expect(asked).toBe(1);
      const {rows} = await readPacked(join(site, sitePath("sales")), "SELECT count(*)::INTEGER AS n FROM packed.sales");
      expect(rows).toEqual(await readSnapshot(space.warehouse, "sales", "SELECT count(*)::INTEGER AS n FROM t"));
      expect(rows[0]!.n).toBeGreaterThan(0);
      // Packing may use every core, but the run's instance keeps its own setting afterwards.
      const connection = await instance.connect();
      expect((await connection.runAndReadAll("SELECT current_setting('threads')::INTEGER AS threads")).getRowObjectsJS()).toEqual([{threads: 1}]);
      connection.closeSync();
    } finally {
      instance.closeSync();
    }
  });

  it("names the stage, keeps DuckDB's words and says what to do when a stage runs out of memory", async () => {
    const starved: Stage = {
      name: "starved",
      description: "a stage whose query needs more memory than its DuckDB may use",
      inputs: ["sales"],
      outputs: ["starved_out"],
      module: "loaders/stages/clean.ts",
      async run() {
        const small = await DuckDBInstance.create(":memory:", {memory_limit: "20MB", threads: "1"});
        const connection = await small.connect();
        try {
          await connection.run("SELECT list(range) FROM range(20000000)");
        } finally {
          connection.closeSync();
          small.closeSync();
        }
        throw new Error("the query above should have run out of memory");
      }
    };
    const failure = await runPipeline(space.options, {stages: [...STAGES, starved]}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StageFailedError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^stage starved failed: Out of Memory Error: /);
    expect(message).toContain("DuckDB needed more than its memory limit of 2GB");
    expect(message).toContain("Raise memoryLimit in retail.config.json (or --memory-limit SIZE, e.g. 4GB), or run fewer stages at once (--stages-at-once 1)");
  });

  it("drops a table no stage writes any more (one a newer pipeline removed), from the warehouse and the site", async () => {
    const upgraded = workspace("retail-orphan-");
    try {
      upgraded.write("2010-12-01.csv", csv(HEADER, "536365,85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom"));
      const [ingest, clean, productMarts] = ["ingest", "clean", "product_marts"].map((name) => STAGES.find((stage) => stage.name === name)!);
      await runPipeline(upgraded.options, {stages: [ingest!, clean!, productMarts!]});
      const mart = join(upgraded.warehouse, "snapshots", "monthly_product_sales.parquet");
      expect(existsSync(mart)).toBe(true);
      expect(existsSync(join(upgraded.site, "data", "packed", "monthly_product_sales.duckdb"))).toBe(true);

      // The same data, with a pipeline that no longer has the stage: nothing to run, but the table goes.
      const run = await runPipeline(upgraded.options, {stages: [ingest!, clean!]});
      expect(run.upToDate).toBe(true);
      const manifest = JSON.parse(readFileSync(join(upgraded.warehouse, "manifest.json"), "utf8"));
      expect(Object.keys(manifest.tables).sort()).toEqual(["excluded_lines", "input_files", "pipeline_runs", "quarantine", "raw_lines", "returns", "sales"]);
      expect(existsSync(mart)).toBe(false);
      expect(existsSync(join(upgraded.site, "data", "packed", "monthly_product_sales.duckdb"))).toBe(false);
      expect(JSON.parse(readFileSync(join(upgraded.site, "data", "manifest.json"), "utf8")).tables.monthly_product_sales).toBeUndefined();
    } finally {
      upgraded.dispose();
    }
  });
});
