import {DuckDBInstance} from "@duckdb/node-api";
import {copyFileSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {literal} from "../../loaders/db.js";
import {HEADER, SHIPPED_FILES, SHIPPED_RAW} from "./fixtures.js";

/**
 * Small extracts of the shipped data, the way a new user's first try looks: a few daily files, or one
 * country's / one customer's lines of the whole year. Each is written as ordinary input files to `raw`.
 */
export type Slice = {name: string; kind: "days"; from: string; to: string} | {name: string; kind: "filter"; where: string};

export const SLICES: readonly Slice[] = [
  {name: "first day", kind: "days", from: "2010-12-01", to: "2010-12-01"},
  {name: "first three days", kind: "days", from: "2010-12-01", to: "2010-12-03"},
  {name: "first week", kind: "days", from: "2010-12-01", to: "2010-12-07"},
  {name: "first month", kind: "days", from: "2010-12-01", to: "2010-12-31"},
  {name: "two days of May 2011", kind: "days", from: "2011-05-03", to: "2011-05-04"},
  {name: "one country (Germany), whole year", kind: "filter", where: "Country = 'Germany'"},
  {name: "one customer (12347), whole year", kind: "filter", where: "CustomerID IN ('12347', '12347.0')"},
  {name: "only lines without a customer id", kind: "filter", where: "CustomerID IS NULL OR CustomerID = ''"}
];

/** Writes the slice's input files into `raw` (created); returns how many files. */
export async function writeSlice(slice: Slice, raw: string): Promise<number> {
  mkdirSync(raw, {recursive: true});
  if (slice.kind === "days") {
    const files = SHIPPED_FILES.filter((file) => file.slice(0, 10) >= slice.from && file.slice(0, 10) <= slice.to);
    for (const file of files) copyFileSync(join(SHIPPED_RAW, "online-retail", file), join(raw, file));
    return files.length;
  }
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const source = join(SHIPPED_RAW, "online-retail", "*.csv.gz");
    const target = join(raw, "slice.csv.gz");
    await connection.run(
      `COPY (SELECT * EXCLUDE (filename) FROM read_csv(${literal(source)}, all_varchar = true, header = true, filename = true)
             WHERE ${slice.where} ORDER BY filename)
       TO ${literal(target)} (FORMAT csv, HEADER true, COMPRESSION gzip)`
    );
    return 1;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * An adversarial day: `invoices` small invoices of random products, plus two large invoices sharing
 * `shared` products. At 2% support of a few dozen invoices "frequent" means two invoices, and two invoices
 * sharing 40 products have 2^40 common itemsets: mining must stay bounded anyway.
 */
export function writeAdversarialFile(raw: string, {invoices = 40, shared = 40, large = 2} = {}): string {
  mkdirSync(raw, {recursive: true});
  const lines = [HEADER];
  const line = (invoice: number, product: number, minute: number, customer: number) =>
    `${invoice},P${String(product).padStart(4, "0")},PRODUCT ${product},2,2011-03-01 ${String(9 + Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}:00,1.5,${customer},United Kingdom`;
  let state = 7;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < invoices; i++) {
    const products = new Set(Array.from({length: 3 + Math.floor(random() * 5)}, () => 100 + Math.floor(random() * 60)));
    for (const product of products) lines.push(line(500000 + i, product, i, 20000 + (i % 15)));
  }
  for (let k = 0; k < large; k++) {
    for (let p = 0; p < shared; p++) lines.push(line(600000 + k, p, 300 + k, 30001 + k));
  }
  const path = join(raw, "2011-03-01-adversarial.csv.gz");
  writeFileSync(path, gzipSync(lines.join("\n") + "\n"));
  return path;
}
