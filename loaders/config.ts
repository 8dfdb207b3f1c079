import {existsSync, readFileSync} from "node:fs";
import {availableParallelism} from "node:os";
import {isAbsolute, join, resolve} from "node:path";
import {ENGINE_NAMES, type EngineName} from "./engine/names.js";
import {UsageError} from "./errors.js";

/** Everything a pipeline run can be told. Each option documents its default. */
export interface PipelineOptions {
  /** Project root; relative folders below resolve against it. Default: the current directory. */
  root: string;
  /** Folder scanned recursively for input files (`*.csv`, `*.csv.gz`). Default: `data/raw`. */
  rawDir: string;
  /** Where snapshots, raw partitions and the manifest live. Default: `data/warehouse`. */
  warehouseDir: string;
  /** Observable Framework source root, whose cache is cleared for changed snapshots. Default: `src`. */
  siteRoot: string;
  /** Where loading, cleaning and the marts run: `duckdb` (embedded, the default) or `clickhouse` (a cluster). */
  engine: EngineName;
  /** ClickHouse engine: HTTP address of one server per shard, comma-separated, in shard order. Default: none. */
  clickhouseUrl: string;
  /** ClickHouse engine: the cluster's name in the servers' remote_servers configuration. Default: `retail`. */
  clickhouseCluster: string;
  /** ClickHouse engine: the database the pipeline's tables live in. Default: `retail`. */
  clickhouseDatabase: string;
  /**
   * Largest share (0–1) of one file's records that may be quarantined; a file above it fails the run.
   * Default: 0.05.
   */
  maxQuarantineShare: number;
  /**
   * Stock codes that are fees, postage or adjustments rather than products (compared upper-cased).
   * Default: POST, DOT, M, C2, D, S, B, CRUK, PADS, AMAZONFEE, BANK CHARGES.
   */
  nonProductCodes: string[];
  /** Regular expressions (case-insensitive) for further non-product codes. Default: `^GIFT_` (vouchers). */
  nonProductPatterns: string[];
  /**
   * DuckDB worker threads. Default: one fewer than the CPUs (at least 1): the main thread (extraction,
   * appenders) and the model workers need a core, and on 2 cores a second DuckDB thread cost far more CPU
   * in contention than it saved in time.
   */
  threads: number;
  /** DuckDB memory limit; beyond it DuckDB spills to `<warehouseDir>/tmp`. Default: `2GB`. */
  memoryLimit: string;
  /** Progress display: `auto` (live on a terminal, plain lines otherwise), `live`, `plain` or `silent`. */
  progress: "auto" | "live" | "plain" | "silent";
  /** Re-run every stage even when its inputs, code and options are unchanged. Default: false. */
  force: boolean;
  /**
   * How long to wait for another run's lock before giving up, in milliseconds. Default: 0 (refuse at once,
   * naming the holder). Data loaders inside Framework wait, because Framework runs them concurrently.
   */
  lockWaitMs: number;
  /** Seed for every randomised model. Default: 42. */
  seed: number;
  /** Customer segments (k of the k-means segmentation), 2–20. Default: 4. */
  segments: number;
  /** Time budget of one stage, in seconds: a stage still running then is stopped and the run fails. Default: 900. */
  stageTimeoutSeconds: number;
  /** JavaScript heap budget of one stage's model worker, in MB: past it the run fails naming the stage. Default: 4096. */
  stageMemoryMB: number;
}

export const DEFAULT_NON_PRODUCT_CODES = [
  "POST", "DOT", "M", "C2", "D", "S", "B", "CRUK", "PADS", "AMAZONFEE", "BANK CHARGES"
];

export const DEFAULT_OPTIONS: Omit<PipelineOptions, "root"> = {
  rawDir: "data/raw",
  warehouseDir: "data/warehouse",
  siteRoot: "src",
  engine: "duckdb",
  clickhouseUrl: "",
  clickhouseCluster: "retail",
  clickhouseDatabase: "retail",
  maxQuarantineShare: 0.05,
  nonProductCodes: DEFAULT_NON_PRODUCT_CODES,
  nonProductPatterns: ["^GIFT_"],
  threads: Math.max(1, availableParallelism() - 1),
  memoryLimit: "2GB",
  progress: "auto",
  force: false,
  lockWaitMs: 0,
  seed: 42,
  segments: 4,
  stageTimeoutSeconds: 900,
  stageMemoryMB: 4096
};

/** The optional project configuration file; any key of PipelineOptions except `root`. */
export const CONFIG_FILE = "retail.config.json";

/**
 * Merges defaults, the project's `retail.config.json` (if any) and explicit overrides, validates the
 * result and resolves folders to absolute paths.
 */
export function resolveOptions(overrides: Partial<PipelineOptions> = {}): PipelineOptions {
  const root = resolve(overrides.root ?? process.cwd());
  const fromFile = readConfigFile(root);
  const merged = {...DEFAULT_OPTIONS, ...fromFile, ...definedOnly(overrides), root} as PipelineOptions;
  validateOptions(merged);
  return {
    ...merged,
    rawDir: absolute(root, merged.rawDir),
    warehouseDir: absolute(root, merged.warehouseDir),
    siteRoot: absolute(root, merged.siteRoot),
    nonProductCodes: merged.nonProductCodes.map((code) => code.trim().toUpperCase())
  };
}

function readConfigFile(root: string): Partial<PipelineOptions> {
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message}); fix or delete the file`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(`${path}: expected a JSON object of pipeline options`);
  }
  const known = new Set(Object.keys(DEFAULT_OPTIONS));
  for (const key of Object.keys(parsed)) {
    if (!known.has(key)) throw new UsageError(`${path}: unknown option ${JSON.stringify(key)}; known options: ${[...known].join(", ")}`);
  }
  return parsed as Partial<PipelineOptions>;
}

function validateOptions(options: PipelineOptions): void {
  const {maxQuarantineShare: share, threads, seed, lockWaitMs} = options;
  if (typeof share !== "number" || !(share >= 0 && share <= 1)) {
    throw new UsageError(`invalid maxQuarantineShare; expected a number from 0 to 1: ${JSON.stringify(share)}`);
  }
  if (!Number.isInteger(threads) || threads < 1) {
    throw new UsageError(`invalid threads; not a positive integer: ${JSON.stringify(threads)}`);
  }
  if (!Number.isInteger(seed)) throw new UsageError(`invalid seed; not an integer: ${JSON.stringify(seed)}`);
  if (!Number.isInteger(options.segments) || options.segments < 2 || options.segments > 20) {
    throw new UsageError(`invalid segments; not an integer from 2 to 20: ${JSON.stringify(options.segments)}`);
  }
  if (!Number.isFinite(lockWaitMs) || lockWaitMs < 0) {
    throw new UsageError(`invalid lockWaitMs; not a non-negative number: ${JSON.stringify(lockWaitMs)}`);
  }
  if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(options.memoryLimit)) {
    throw new UsageError(`invalid memoryLimit; expected a size such as "2GB": ${JSON.stringify(options.memoryLimit)}`);
  }
  if (!ENGINE_NAMES.includes(options.engine)) {
    throw new UsageError(`invalid engine; expected ${ENGINE_NAMES.join(" or ")}: ${JSON.stringify(options.engine)}`);
  }
  if (options.engine === "clickhouse" && options.clickhouseUrl.trim() === "") {
    throw new UsageError("the clickhouse engine needs --clickhouse-url http://host:8123[,http://host2:8123…] (one server per shard)");
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.clickhouseDatabase)) {
    throw new UsageError(`invalid clickhouseDatabase; use letters, digits and underscores: ${JSON.stringify(options.clickhouseDatabase)}`);
  }
  if (!["auto", "live", "plain", "silent"].includes(options.progress)) {
    throw new UsageError(`invalid progress; expected auto, live, plain or silent: ${JSON.stringify(options.progress)}`);
  }
  if (!Array.isArray(options.nonProductCodes) || options.nonProductCodes.some((code) => typeof code !== "string")) {
    throw new UsageError(`invalid nonProductCodes; expected an array of strings: ${JSON.stringify(options.nonProductCodes)}`);
  }
  for (const pattern of options.nonProductPatterns) {
    try {
      new RegExp(pattern, "i");
    } catch {
      throw new UsageError(`invalid nonProductPatterns; not a regular expression: ${JSON.stringify(pattern)}`);
    }
  }
}

function absolute(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
