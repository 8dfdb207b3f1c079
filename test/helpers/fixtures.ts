import {mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync, copyFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {gzipSync} from "node:zlib";
import {fileURLToPath} from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SHIPPED_RAW = join(PROJECT_ROOT, "data", "raw");
export const SHIPPED_FILES = readdirSync(join(SHIPPED_RAW, "online-retail"))
  .filter((name) => name.endsWith(".csv.gz"))
  .sort();

export const HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
export const HEADER_II = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country";

/** A fresh project-like folder with `raw/`, `warehouse/` and `src/` (the site root the pipeline publishes to). */
export interface Workspace {
  dir: string;
  raw: string;
  warehouse: string;
  site: string;
  /** Writes a raw file (gzip-compressed when the name ends in .gz). */
  write(name: string, content: string | Buffer): string;
  remove(name: string): void;
  /** Options for runPipeline pointing at this workspace. */
  options: {root: string; rawDir: string; warehouseDir: string; siteRoot: string; progress: "silent"; threads: number};
  dispose(): void;
}

export function workspace(prefix = "retail-test-"): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const raw = join(dir, "raw");
  const warehouse = join(dir, "warehouse");
  const site = join(dir, "src");
  mkdirSync(raw, {recursive: true});
  return {
    dir,
    raw,
    warehouse,
    site,
    write(name, content) {
      const path = join(raw, name);
      mkdirSync(dirname(path), {recursive: true});
      const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      writeFileSync(path, name.endsWith(".gz") ? gzipSync(bytes) : bytes);
      return path;
    },
    remove(name) {
      rmSync(join(raw, name), {force: true});
    },
    options: {root: dir, rawDir: raw, warehouseDir: warehouse, siteRoot: site, progress: "silent", threads: 2},
    dispose() {
      rmSync(dir, {recursive: true, force: true});
    }
  };
}

/** Copies the first `count` shipped daily files (all by default) into the workspace's raw folder. */
export function copyShipped(space: Workspace, count = SHIPPED_FILES.length, from = 0): string[] {
  const names = SHIPPED_FILES.slice(from, from + count);
  mkdirSync(join(space.raw, "online-retail"), {recursive: true});
  for (const name of names) copyFileSync(join(SHIPPED_RAW, "online-retail", name), join(space.raw, "online-retail", name));
  return names;
}

/** CSV text from a header and rows. */
export function csv(header: string, ...rows: string[]): string {
  return [header, ...rows].join("\n") + "\n";
}
