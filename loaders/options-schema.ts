import * as z from "zod/mini";
import {ENGINE_NAMES, type EngineName} from "./engine/names.js";
import {BYTES_PER_ROW} from "./run/concurrency.js";
import {MEMORY_SIZE} from "./size.js";

/**
 * The one schema of the pipeline's options: `retail.config.json`, the command-line flags and options
 * passed from code are all checked against it. Each option is documented here, with its default (the
 * values themselves are in `DEFAULT_OPTIONS`, config.ts); `npm run schema` publishes it as
 * `retail.config.schema.json` for editors.
 */
const folder = z.string().check(z.minLength(1));
const flag = z.boolean();

export const OPTION_SHAPE = {
  rawDir: folder.check(z.describe("Folder scanned recursively for input files (*.csv, *.csv.gz), relative to the project root. Default: data/raw.")),
  warehouseDir: folder.check(z.describe("Where snapshots, raw partitions and the manifest live. Default: data/warehouse.")),
  siteRoot: folder.check(
    z.describe(
      "Observable Framework source root: after each run the snapshots the site reads are copied to its data/ folder (only those that changed). Default: src."
    )
  ),
  engine: z
    .enum(ENGINE_NAMES as [EngineName, ...EngineName[]])
    .check(z.describe("Where loading, cleaning and the marts run: duckdb (embedded) or clickhouse (a cluster). Default: duckdb.")),
  clickhouseUrl: z.string().check(z.describe("ClickHouse engine: HTTP address of one server per shard, comma-separated, in shard order. Default: none.")),
  clickhouseCluster: z
    .string()
    .check(z.minLength(1))
    .check(z.describe("ClickHouse engine: the cluster's name in the servers' remote_servers configuration. Default: retail.")),
  clickhouseDatabase: z
    .string()
    .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/))
    .check(z.describe("ClickHouse engine: the database the pipeline's tables live in. Default: retail.")),
  maxQuarantineShare: z
    .number()
    .check(z.minimum(0), z.maximum(1))
    .check(z.describe("Largest share (0–1) of one file's records that may be quarantined; a file above it is a bad file (see badFiles). Default: 0.05.")),
  nonProductCodes: z
    .array(z.string())
    .check(
      z.describe(
        "Stock codes that are fees, postage or adjustments rather than products (compared upper-cased). " +
          "Default: POST, DOT, M, C2, D, S, B, CRUK, PADS, AMAZONFEE, BANK CHARGES."
      )
    ),
  nonProductPatterns: z
    .array(z.string())
    .check(
      z.describe(
        "Regular expressions (RE2 syntax, as DuckDB and ClickHouse run them: no lookaround, no backreferences; case-insensitive) " +
          "for further non-product codes. Default: ^GIFT_ (vouchers)."
      )
    ),
  threads: z
    .int()
    .check(z.minimum(1))
    .check(
      z.describe(
        "DuckDB worker threads. Default: one fewer than the CPUs (at least 1): the main thread and the model workers need a core, and on 2 cores a second DuckDB thread cost more CPU in contention than it saved."
      )
    ),
  memoryLimit: z
    .string()
    .check(z.regex(MEMORY_SIZE))
    .check(z.describe("DuckDB memory limit, such as 2GB; beyond it DuckDB spills to <warehouseDir>/tmp. Default: 2GB.")),
  progress: z
    .enum(["auto", "live", "plain", "silent"])
    .check(z.describe("Progress display: auto (live on a terminal, plain lines otherwise), live, plain or silent. Default: auto.")),
  force: flag.check(z.describe("Re-run every stage even when its inputs, code and options are unchanged. Default: false.")),
  lockWaitMs: z
    .number()
    .check(z.minimum(0))
    .check(
      z.describe(
        "How long to wait for another run's lock before giving up, in milliseconds. Default: 0 (refuse at once, naming the holder). " +
          "Data loaders inside Framework wait, because Framework runs them concurrently."
      )
    ),
  seed: z.int().check(z.describe("Seed for every randomised model. Default: 42.")),
  segments: z.int().check(z.minimum(2), z.maximum(20)).check(z.describe("Customer segments (k of the k-means segmentation), 2–20. Default: 4.")),
  badFiles: z
    .enum(["fail", "skip"])
    .check(
      z.describe(
        "What a file that cannot be read at all (empty, corrupt gzip, missing columns, wrong delimiter, binary) or has more than " +
          "maxQuarantineShare of its records quarantined does: fail the run (naming it), or skip: it is recorded in input_files as " +
          "rejected with its reason and the run goes on without its rows. Default: fail."
      )
    ),
  stageTimeoutSeconds: z.number().check(z.gt(0)).check(z.describe("Time budget of each stage, in seconds; a stage over it fails the run. Default: 900.")),
  stageMemoryMB: z.int().check(z.minimum(256)).check(z.describe("JavaScript heap budget of each model stage's worker, in MB. Default: 4096.")),
  stagesAtOnce: z
    .union([z.literal("auto"), z.int().check(z.minimum(1))])
    .check(
      z.describe(
        "How many stages may run at once (they share DuckDB's memoryLimit): a positive integer, or auto: as many as memoryLimit holds at " +
          `${BYTES_PER_ROW} bytes per row of the largest table so far (the raw lines) each: no limit on the shipped data or at 10×, one at a time at 100× under 2 or 4 GB. Default: auto.`
      )
    ),
  refit: z
    .enum(["day", "week", "month"])
    .check(z.describe("How often models are refitted: on data through the end of the last complete day, week or month. Default: week.")),
  forceRefit: flag.check(z.describe("Refit every model on this run, whatever the refit period. Default: false."))
};

export type OptionName = keyof typeof OPTION_SHAPE;
export const OPTION_NAMES = Object.keys(OPTION_SHAPE) as OptionName[];

/** What each option allows, in the words of an error message: `invalid threads; not a positive integer: 0`. */
export const ALLOWED: Record<OptionName, string> = {
  rawDir: "expected a folder path (a non-empty string)",
  warehouseDir: "expected a folder path (a non-empty string)",
  siteRoot: "expected a folder path (a non-empty string)",
  engine: `expected ${ENGINE_NAMES.join(" or ")}`,
  clickhouseUrl: "expected a string of comma-separated http:// addresses",
  clickhouseCluster: "expected a non-empty string",
  clickhouseDatabase: "use letters, digits and underscores",
  maxQuarantineShare: "expected a number from 0 to 1",
  nonProductCodes: "expected an array of strings",
  nonProductPatterns: "expected an array of regular expressions (strings)",
  threads: "not a positive integer",
  memoryLimit: 'expected a size such as "2GB"',
  progress: "expected auto, live, plain or silent",
  force: "expected true or false",
  lockWaitMs: "not a non-negative number",
  seed: "not an integer",
  segments: "not an integer from 2 to 20",
  badFiles: "expected fail or skip",
  stageTimeoutSeconds: "not a number greater than 0",
  stageMemoryMB: "not an integer of at least 256",
  stagesAtOnce: "expected auto or a positive integer",
  refit: "expected day, week or month",
  forceRefit: "expected true or false"
};

/** Any subset of the options: one layer of configuration (the file, the flags, a caller's overrides). */
export const optionsLayer = z.partial(z.strictObject(OPTION_SHAPE));
export type OptionsLayer = z.infer<typeof optionsLayer>;

/** `retail.config.json`: a layer, plus the `$schema` key editors use to find this schema. */
export const configFileSchema = z
  .partial(
    z.strictObject({
      $schema: z.string().check(z.describe("The JSON Schema of this file, for editors: ./retail.config.schema.json.")),
      ...OPTION_SHAPE
    })
  )
  .check(z.describe("Pipeline options for `npm run pipeline`, `npm run build` and `npm run dev`; flags on the command line win over this file."));

/** The JSON Schema published as `retail.config.schema.json`. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configFileSchema, {io: "input"});
  return JSON.stringify({...schema, title: "retail.config.json"}, null, 2) + "\n";
}
