import {parseArgs} from "node:util";
import {closest, validateLayer, type PipelineOptions} from "./config.js";
import {UsageError} from "./errors.js";
import type {OptionName} from "./options-schema.js";

/** Each flag and the option it sets; "number" flags are read as numbers when they look like one. */
const FLAGS = {
  raw: {key: "rawDir", type: "string"},
  warehouse: {key: "warehouseDir", type: "string"},
  site: {key: "siteRoot", type: "string"},
  "max-quarantine-share": {key: "maxQuarantineShare", type: "number"},
  engine: {key: "engine", type: "string"},
  "clickhouse-url": {key: "clickhouseUrl", type: "string"},
  "clickhouse-cluster": {key: "clickhouseCluster", type: "string"},
  "clickhouse-database": {key: "clickhouseDatabase", type: "string"},
  threads: {key: "threads", type: "number"},
  "memory-limit": {key: "memoryLimit", type: "string"},
  progress: {key: "progress", type: "string"},
  force: {key: "force", type: "boolean"},
  wait: {key: "lockWaitMs", type: "number"},
  "skip-bad-files": {key: "badFiles", type: "boolean"},
  "stage-timeout": {key: "stageTimeoutSeconds", type: "number"},
  "stage-memory": {key: "stageMemoryMB", type: "number"},
  "stages-at-once": {key: "stagesAtOnce", type: "number"},
  refit: {key: "forceRefit", type: "boolean"}
} as const satisfies Record<string, {key: OptionName; type: "string" | "number" | "boolean"}>;

/** Every flag the pipeline takes (besides --help, --graph and the watch flags), with the option it sets. */
export const FLAG_OPTIONS: Readonly<Record<string, OptionName>> = Object.fromEntries(Object.entries(FLAGS).map(([flag, {key}]) => [flag, key]));

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/**
 * The command line as a layer of options, checked against the option schema (an error names the flag and
 * the text given); `null` for --help, `"graph"` for --graph (print the stage graph and exit).
 */
export function parseFlags(argv: string[]): Partial<PipelineOptions> | null | "graph" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(Object.entries(FLAGS).map(([name, {type}]) => [name, {type: type === "boolean" ? "boolean" : "string"} as const])),
        help: {type: "boolean", short: "h"},
        graph: {type: "boolean"}
      }
    });
  } catch (error) {
    const unknown = /^Unknown option '(-[^']*)'/.exec((error as Error).message);
    if (!unknown) throw new UsageError(`${(error as Error).message.replace(/\.$/, "")}; see --help`);
    const close = closest(unknown[1].replace(/^-+/, ""), Object.keys(FLAGS));
    throw new UsageError(`unknown option ${unknown[1]}${close ? `; did you mean --${close}?` : ""} See --help`);
  }
  const {values, positionals} = parsed;
  if (values.help) return null;
  if (values.graph) return "graph";
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; see --help`);
  const layer: Record<string, unknown> = {};
  const flagOf: Partial<Record<OptionName, string>> = {};
  const textOf: Partial<Record<OptionName, string>> = {};
  for (const [name, {key, type}] of Object.entries(FLAGS) as [keyof typeof FLAGS, (typeof FLAGS)[keyof typeof FLAGS]][]) {
    const value = (values as Record<string, string | boolean | undefined>)[name];
    if (value === undefined) continue;
    flagOf[key] = `--${name}`;
    if (typeof value === "string") textOf[key] = value;
    layer[key] = type === "number" && typeof value === "string" && NUMBER.test(value) ? Number(value) : value;
  }
  // Flags whose option is in other units or of another type than the flag.
  if (typeof layer.lockWaitMs === "number") layer.lockWaitMs *= 1000;
  if (layer.badFiles !== undefined) layer.badFiles = layer.badFiles ? "skip" : "fail";
  return validateLayer(layer, {kind: "flags", flagOf, textOf});
}

/** What the command line asks for: help, the stage graph, one run, or watching the raw folder. */
export type Command =
  | {kind: "help"}
  | {kind: "graph"}
  | {kind: "run"; options: Partial<PipelineOptions>}
  | {kind: "watch"; options: Partial<PipelineOptions>; pollSeconds: number | null};

/**
 * The command line, with the watch flags: `--watch` runs the pipeline, then again whenever input files
 * change; `--poll SECONDS` (implies --watch) checks the folder on a timer instead of waiting for change
 * events, for network file systems.
 */
export function parseCommand(argv: string[]): Command {
  const rest: string[] = [];
  let watch = false;
  let pollSeconds: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--watch") watch = true;
    else if (arg === "--poll" || arg.startsWith("--poll=")) {
      const text = arg === "--poll" ? argv[++i] : arg.slice("--poll=".length);
      const seconds = text !== undefined && NUMBER.test(text) ? Number(text) : NaN;
      if (!(seconds > 0)) throw new UsageError(`invalid --poll; not a positive number of seconds: ${JSON.stringify(text ?? "")}`);
      pollSeconds = seconds;
      watch = true;
    } else rest.push(arg);
  }
  const parsed = parseFlags(rest);
  if (parsed === null) return {kind: "help"};
  if (parsed === "graph") return {kind: "graph"};
  return watch ? {kind: "watch", options: parsed, pollSeconds} : {kind: "run", options: parsed};
}
