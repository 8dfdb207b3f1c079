import type {PipelineOptions} from "../config.js";
import type {RawFile} from "../extract/discover.js";
import type {ExtractResult} from "../extract/extract.js";
import type {StageContext} from "../run/stage.js";
import type {CleanRules} from "../transform/clean-sql.js";
import type {EngineName} from "./names.js";

/**
 * Where the row-proportional work runs: parsing input files, cleaning, and the marts. Stages orchestrate
 * (which files, what state, which checks); an engine does the work and leaves its outputs as Parquet at
 * `context.outputPath(name)` or as tables in the run's DuckDB. Models and pages only ever see the
 * resulting snapshots, whatever the engine.
 */
export interface Engine {
  readonly name: EngineName;
  /**
   * Which of the file contents the previous run loaded (by SHA-256, with what it recorded of them) this
   * engine still holds, so their rows can be carried over instead of parsed again.
   */
  held(context: StageContext, previous: ReadonlyMap<string, HeldFile>): Promise<Set<string>>;
  /**
   * Parses the staged files into `raw_lines` and `quarantine` (plus the rows carried over from the previous
   * snapshots), in file and line order, and returns the rows and quarantined records per source path.
   */
  load(context: StageContext, request: LoadRequest): Promise<Map<string, FileCounts>>;
  /** The first `limit` quarantine reasons of each path, in line order, for error messages. */
  quarantineExamples(context: StageContext, paths: readonly string[], limit: number): Promise<Map<string, string[]>>;
  /** `sales`, `returns` and `excluded_lines` from `raw_lines`, with cancellations matched to purchases. */
  clean(context: StageContext, rules: CleanRules): Promise<CleanSummary>;
  /** Releases what `clean` kept for its outputs, once the runner has written them. */
  cleanDone(context: StageContext): Promise<void>;
  /** The marts (orders, daily/weekly/monthly sales, country, product, customer metrics) from sales and returns. */
  marts(context: StageContext): Promise<MartsSummary>;
  /** `monthly_product_sales` from sales. */
  productMarts(context: StageContext): Promise<ProductMartsSummary>;
}

export {ENGINE_NAMES, type EngineName} from "./names.js";

/** What the previous run recorded of a file content it loaded. */
export interface HeldFile {
  path: string;
  rows: number;
  quarantined: number;
}

/** Files to parse this run, and the state the previous run left. */
export interface LoadRequest {
  /** Files extracted this run, in path order; their staged copies are under `stagingDir`. */
  extracted: Map<RawFile, ExtractResult>;
  stagingDir: string;
  /** Contents whose rows are carried over from the previous snapshots, by SHA-256, as the previous run recorded them. */
  carried: Map<string, HeldFile>;
  /** Every path the previous snapshots hold rows of. */
  previousPaths: string[];
}

export interface FileCounts {
  rows: number;
  quarantined: number;
}

export interface CleanSummary {
  lines: number;
  sales: number;
  returns: number;
  excluded: number;
  /** Returned product units matched to a purchase, of all returned product units. */
  matchedUnits: number;
  returnedUnits: number;
}

export interface MartsSummary {
  sales: number;
  orders: number;
  customers: number;
  products: number;
}

export interface ProductMartsSummary {
  sales: number;
  /** Rows of monthly_product_sales. */
  months: number;
}

export async function createEngine(options: Pick<PipelineOptions, "engine">): Promise<Engine> {
  switch (options.engine) {
    case "duckdb":
      return (await import("./duckdb/index.js")).duckdbEngine;
    case "clickhouse":
      return (await import("./clickhouse/index.js")).clickhouseEngine;
    default:
      throw new Error(`unknown engine ${JSON.stringify(options.engine)}`);
  }
}

/** The options that decide where an engine stage's rows live (part of those stages' fingerprints). */
export function engineOptions(options: Pick<PipelineOptions, "engine" | "clickhouseUrl" | "clickhouseCluster" | "clickhouseDatabase">) {
  return options.engine === "clickhouse"
    ? {engine: options.engine, url: options.clickhouseUrl, cluster: options.clickhouseCluster, database: options.clickhouseDatabase}
    : {engine: options.engine};
}
