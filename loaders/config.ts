import {existsSync, readFileSync} from "node:fs";
import {availableParallelism} from "node:os";
import {isAbsolute, join, resolve} from "node:path";
import {UsageError} from "./errors.js";
import {closest} from "../src/shared/closest.js";

export {closest};
import {ALLOWED, OPTION_NAMES, optionsLayer, type OptionName, type OptionsLayer} from "./options-schema.js";

/** Everything a pipeline run can be told; each option is documented, with its default, in options-schema.ts. */
export type PipelineOptions = {
  /** Project root; relative folders resolve against it. Default: the current directory. */
  root: string;
} & Required<OptionsLayer>;

export const DEFAULT_NON_PRODUCT_CODES = ["POST", "DOT", "M", "C2", "D", "S", "B", "CRUK", "PADS", "AMAZONFEE", "BANK CHARGES"];

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
  badFiles: "fail",
  stageTimeoutSeconds: 900,
  stageMemoryMB: 4096,
  stagesAtOnce: "auto",
  refit: "week",
  forceRefit: false
};

/** The optional project configuration file; any option except `root`, and `$schema`. */
export const CONFIG_FILE = "retail.config.json";

/** Where a layer of options came from, so that an error names the key as its author wrote it. */
export type OptionSource =
  {kind: "file"; path: string} | {kind: "flags"; flagOf: Partial<Record<OptionName, string>>; textOf: Partial<Record<OptionName, string>>} | {kind: "code"};

/**
 * Merges defaults, the project's `retail.config.json` (if any) and explicit overrides, validates each
 * against the schema and resolves folders to absolute paths. Regular expressions are checked against
 * the engines' dialect separately (`checkPatterns`, asynchronous), before a run takes the lock.
 */
export function resolveOptions(overrides: Partial<PipelineOptions> = {}): PipelineOptions {
  const root = resolve(overrides.root ?? process.cwd());
  const fromFile = readConfigFile(root);
  const {root: _root, ...explicit} = definedOnly(overrides);
  const merged: PipelineOptions = {...DEFAULT_OPTIONS, ...fromFile, ...validateLayer(explicit, {kind: "code"}), root};
  if (merged.engine === "clickhouse" && merged.clickhouseUrl.trim() === "") {
    throw new UsageError("the clickhouse engine needs --clickhouse-url http://host:8123[,http://host2:8123…] (one server per shard)");
  }
  return {
    ...merged,
    rawDir: absolute(root, merged.rawDir),
    warehouseDir: absolute(root, merged.warehouseDir),
    siteRoot: absolute(root, merged.siteRoot),
    nonProductCodes: merged.nonProductCodes.map((code) => code.trim().toUpperCase())
  };
}

/** Checks one layer of options against the schema; throws a UsageError naming the first bad key and value. */
export function validateLayer(layer: Record<string, unknown>, source: OptionSource): OptionsLayer {
  const where = source.kind === "file" ? `${source.path}: ` : "";
  for (const key of Object.keys(layer)) {
    if ((OPTION_NAMES as string[]).includes(key)) continue;
    const close = closest(key, OPTION_NAMES);
    throw new UsageError(
      `${where}unknown option ${JSON.stringify(key)}` + (close ? `; did you mean ${JSON.stringify(close)}?` : "") + ` Known options: ${OPTION_NAMES.join(", ")}`
    );
  }
  const result = optionsLayer.safeParse(layer);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue.path[0] as OptionName;
  if (source.kind === "flags" && source.flagOf[key]) {
    throw new UsageError(`invalid ${source.flagOf[key]}; ${ALLOWED[key]}: ${JSON.stringify(source.textOf[key] ?? layer[key])}`);
  }
  throw new UsageError(`${where}invalid ${key}; ${ALLOWED[key]}: ${JSON.stringify(layer[key])}`);
}

function readConfigFile(root: string): OptionsLayer {
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
  const {$schema, ...options} = parsed as Record<string, unknown>;
  if ($schema !== undefined && typeof $schema !== "string") {
    throw new UsageError(`${path}: invalid $schema; expected the path or URL of a JSON Schema: ${JSON.stringify($schema)}`);
  }
  return validateLayer(options, {kind: "file", path});
}

function absolute(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
