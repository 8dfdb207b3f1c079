#!/usr/bin/env node
/**
 * Writes a synthetic dataset N times the size of the shipped one, for benchmarks: the real data
 * replicated N times, copy k with invoice numbers, customer ids and product codes shifted (so customers,
 * products and invoices all grow N-fold and the models get N× the customers) and times shifted by k
 * minutes (the calendar stays the same). One gzip CSV per day, in the shipped layout. Deterministic: the
 * same N gives the same files.
 *
 *   npm run generate -- --scale 10 --out /tmp/retail-10x
 */
import {DuckDBInstance} from "@duckdb/node-api";
import {mkdirSync, readdirSync, rmSync, statSync} from "node:fs";
import {join, resolve} from "node:path";
import {parseArgs} from "node:util";
import {DEFAULT_NON_PRODUCT_CODES} from "../loaders/config.js";
import {literal, queryRows} from "../loaders/db.js";
import {ONLINE_RETAIL_HEADER} from "../loaders/extract/header.js";

export interface GenerateOptions {
  /** How many copies of the source data (a positive integer). */
  scale: number;
  /** Output folder; its `online-retail/` subfolder is replaced. */
  out: string;
  /** Folder of the source daily files. Default: the shipped `data/raw/online-retail`. */
  source?: string;
  threads?: number;
}

/** Offsets that keep every copy's ids apart from the originals (invoices are 6 digits, customers 5). */
const INVOICE_STRIDE = 1_000_000;
const CUSTOMER_STRIDE = 100_000;

export async function generate({
  scale,
  out,
  source = "data/raw/online-retail",
  threads = 2
}: GenerateOptions): Promise<{files: number; lines: number; bytes: number}> {
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`invalid scale; not a positive integer: ${scale}`);
  const target = join(resolve(out), "online-retail");
  rmSync(target, {recursive: true, force: true});
  mkdirSync(target, {recursive: true});
  const instance = await DuckDBInstance.create(":memory:", {threads: String(threads), preserve_insertion_order: "true"});
  const connection = await instance.connect();
  const columns = ONLINE_RETAIL_HEADER.split(",");
  await connection.run(`
    CREATE TABLE source AS
    SELECT row_number() OVER () AS line, *, regexp_extract(filename, '([0-9]{4}-[0-9]{2}-[0-9]{2})', 1) AS day
    FROM read_csv(${literal(join(resolve(source), "*.csv.gz"))}, header = true,
      auto_detect = false, delim = ',', quote = '"', escape = '"',
      columns = {${columns.map((column) => `'${column}': 'VARCHAR'`).join(", ")}}, filename = true)`);
  const days = (await queryRows<{day: string}>(connection, "SELECT DISTINCT day FROM source ORDER BY day")).map((row) => row.day);
  const nonProduct = `upper(StockCode) IN (${DEFAULT_NON_PRODUCT_CODES.map(literal).join(", ")}) OR upper(StockCode) LIKE 'GIFT%'`;
  // Copy 0 is the original data, unchanged; copy k shifts every id by k strides and every time by k minutes.
  // One file per day, written on its own (memory stays flat at any scale); lines in copy, then source order.
  let bytes = 0;
  for (const day of days) {
    const path = join(target, `${day}.csv.gz`);
    await connection.run(`
      COPY (
        SELECT
          CASE WHEN k = 0 THEN InvoiceNo
               ELSE regexp_extract(InvoiceNo, '^[A-Za-z]*') || (TRY_CAST(regexp_extract(InvoiceNo, '[0-9]+$') AS BIGINT) + k * ${INVOICE_STRIDE})
          END AS InvoiceNo,
          CASE WHEN k = 0 OR ${nonProduct} THEN StockCode ELSE StockCode || '-' || k END AS StockCode,
          Description, Quantity,
          strftime(CAST(InvoiceDate AS TIMESTAMP) + k * INTERVAL 1 MINUTE, '%Y-%m-%d %H:%M:%S') AS InvoiceDate,
          UnitPrice,
          CASE WHEN CustomerID IS NULL OR k = 0 THEN CustomerID
               ELSE CAST(CAST(CAST(CustomerID AS DOUBLE) AS BIGINT) + k * ${CUSTOMER_STRIDE} AS VARCHAR) END AS CustomerID,
          Country
        FROM source, range(${scale}) AS copies(k)
        WHERE day = ${literal(day)}
        ORDER BY k, line
      ) TO ${literal(path)} (FORMAT csv, HEADER true, COMPRESSION gzip)`);
    bytes += statSync(path).size;
  }
  await connection.run(`SET threads = ${threads}`);
  const [{lines, expected}] = await queryRows<{lines: number; expected: number}>(
    connection,
    `SELECT (SELECT count(*) FROM read_csv(${literal(join(target, "*.csv.gz"))}, header = true, all_varchar = true)) AS lines,
       (SELECT count(*) * ${scale} FROM source) AS expected`
  );
  if (lines !== expected) throw new Error(`wrote ${lines} lines instead of ${expected}; please report this`);
  connection.closeSync();
  instance.closeSync();
  return {files: readdirSync(target).length, lines, bytes};
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("generate.ts")) {
  const {values} = parseArgs({options: {scale: {type: "string"}, out: {type: "string"}, source: {type: "string"}, threads: {type: "string"}}});
  if (!values.scale || !values.out) {
    process.stderr.write("usage: npm run generate -- --scale N --out DIR [--source DIR]\n");
    process.exit(2);
  }
  const started = performance.now();
  const result = await generate({
    scale: Number(values.scale),
    out: values.out,
    source: values.source,
    threads: values.threads ? Number(values.threads) : undefined
  });
  process.stdout.write(
    `wrote ${result.files} daily files, ${result.lines.toLocaleString("en-GB")} lines, ${(result.bytes / 1e6).toFixed(1)} MB ` +
      `to ${join(resolve(values.out), "online-retail")} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`
  );
}
