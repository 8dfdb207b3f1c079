#!/usr/bin/env node
/**
 * `npm run bench:clickhouse`: the ClickHouse engine against the embedded one on the same data. Starts a
 * local two-shard cluster (as the integration test does; needs Debian's clickhouse-server), runs a cold
 * pipeline with each engine and prints the time of the stages the engine runs (ingest, clean, marts,
 * customer_features) and of the whole run.
 *
 *   npm run bench:clickhouse                    # the shipped data
 *   npm run bench:clickhouse -- --raw DIR       # any other folder of daily files
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {readManifest} from "../loaders/run/manifest.js";
import {startCluster} from "../test/helpers/clickhouse.js";
import {ROOT, runCli} from "./measure.js";

const {values} = parseArgs({options: {raw: {type: "string", default: join(ROOT, "data", "raw")}}});
const ENGINE_STAGES = ["ingest", "clean", "marts", "customer_features"];
const ms = (value: number) => (value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`);

async function run(label: string, extra: string[]) {
  const warehouse = mkdtempSync(join(tmpdir(), `retail-bench-${label}-`));
  try {
    const result = await runCli(["--raw", values.raw!, "--warehouse", warehouse, ...extra]);
    const stages = Object.fromEntries(readManifest(warehouse).runs[0].stages.map((stage) => [stage.name, stage.durationMs]));
    return {total: result.ms, stages};
  } finally {
    rmSync(warehouse, {recursive: true, force: true});
  }
}

const embedded = await run("duckdb", []);
const cluster = await startCluster({shards: 2});
let distributed: Awaited<ReturnType<typeof run>>;
try {
  distributed = await run("clickhouse", ["--engine", "clickhouse", "--clickhouse-url", cluster.urls.join(","), "--clickhouse-cluster", cluster.cluster]);
} finally {
  await cluster.stop();
}
const rows = [
  ...ENGINE_STAGES.map((stage) => [stage, ms(embedded.stages[stage]), ms(distributed.stages[stage])]),
  ["whole cold run", ms(embedded.total), ms(distributed.total)]
];
process.stdout.write(
  `| stage | embedded DuckDB | ClickHouse, 2 local shards |\n| --- | --- | --- |\n${rows.map((row) => `| ${row.join(" | ")} |`).join("\n")}\n`
);
