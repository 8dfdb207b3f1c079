import {createClient, ClickHouseLogLevel} from "@clickhouse/client";
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {ClusterError} from "../../loaders/engine/clickhouse/cluster.js";
import {runPipeline} from "../../loaders/pipeline.js";
import {readManifest} from "../../loaders/run/manifest.js";
import {STABLE_SNAPSHOTS} from "../../loaders/schema/index.js";
import {startCluster, type LocalCluster} from "../helpers/clickhouse.js";
import {copyShipped, SHIPPED_FILES, SHIPPED_RAW, workspace} from "../helpers/fixtures.js";

/**
 * The ClickHouse engine against a real two-shard cluster started here: the same files must give the same
 * snapshots, byte for byte, as the embedded DuckDB engine.
 */
let cluster: LocalCluster;
const onCluster = workspace("retail-clickhouse-");
const embedded = workspace("retail-embedded-");
const clickhouse = () => ({...onCluster.options, engine: "clickhouse" as const, clickhouseUrl: cluster.urls.join(","), clickhouseCluster: cluster.cluster});
const countOn = async (url: string, table: string) => {
  const client = createClient({url, log: {level: ClickHouseLogLevel.OFF}});
  try {
    const [row] = await (await client.query({query: `SELECT count() AS n FROM retail.${table}`, format: "JSONEachRow"})).json<{n: string}>();
    return Number(row.n);
  } finally {
    await client.close();
  }
};
const expectSameSnapshots = () => {
  for (const name of STABLE_SNAPSHOTS) {
    const a = readFileSync(join(onCluster.warehouse, "snapshots", `${name}.parquet`));
    const b = readFileSync(join(embedded.warehouse, "snapshots", `${name}.parquet`));
    expect(a.equals(b), `${name}.parquet differs between the ClickHouse and DuckDB engines`).toBe(true);
  }
};

beforeAll(async () => {
  cluster = await startCluster({shards: 2, cluster: "retail"});
  copyShipped(onCluster, 30);
  copyShipped(embedded, 30);
});
afterAll(async () => {
  await cluster?.stop();
  onCluster.dispose();
  embedded.dispose();
});

describe("the ClickHouse engine", () => {
  it("builds the same snapshots as the embedded engine from the same 30 daily files", async () => {
    const run = await runPipeline(clickhouse());
    expect(run.run.status).toBe("succeeded");
    await runPipeline(embedded.options);
    expectSameSnapshots();
  });

  it("spreads the line items over both shards, by customer", async () => {
    const raw = readManifest(onCluster.warehouse).tables.raw_lines.rows;
    const shards = await Promise.all(cluster.urls.map((url) => countOn(url, "raw_lines_local")));
    expect(shards.every((rows) => rows > 0)).toBe(true);
    expect(shards[0] + shards[1]).toBe(raw);
    const sales = await Promise.all(cluster.urls.map((url) => countOn(url, "sales_local")));
    expect(sales[0] + sales[1]).toBe(readManifest(onCluster.warehouse).tables.sales.rows);
    expect(sales.every((rows) => rows > 0)).toBe(true);
  });

  it("loads a file delivered twice once, and only new or changed files", async () => {
    const before = await Promise.all(cluster.urls.map((url) => countOn(url, "raw_lines_local")));
    const copy = readFileSync(join(SHIPPED_RAW, "online-retail", SHIPPED_FILES[0]));
    for (const space of [onCluster, embedded]) {
      mkdirSync(join(space.raw, "resent"), {recursive: true});
      writeFileSync(join(space.raw, "resent", "copy-of-day-one.csv.gz"), copy);
      copyShipped(space, 1, 30);
    }
    const run = await runPipeline(clickhouse());
    expect(run.run.files).toMatchObject({total: 32, added: 2, duplicates: 1, ingested: 1});
    const after = await Promise.all(cluster.urls.map((url) => countOn(url, "raw_lines_local")));
    const added = readManifest(onCluster.warehouse).tables.raw_lines.rows - before[0] - before[1];
    expect(added).toBeGreaterThan(0);
    expect(after[0] + after[1] - before[0] - before[1]).toBe(added);
    await runPipeline(embedded.options);
    expectSameSnapshots();
  });

  it("names a server that cannot be reached, a cluster definition that does not match, and a schema that differs", async () => {
    const unreachable = await runPipeline({...clickhouse(), clickhouseUrl: `http://127.0.0.1:9,${cluster.urls[1]}`}).catch((caught) => caught);
    expect(unreachable.message).toBe(
      "shard 1 of cluster retail (http://127.0.0.1:9) is down or unreachable (ECONNREFUSED); start it, or fix --clickhouse-url, " +
        "and run the pipeline again. The previous snapshots are unchanged"
    );
    const wrongCount = await runPipeline({...clickhouse(), clickhouseUrl: cluster.urls[0]}).catch((caught) => caught);
    expect(wrongCount.message).toBe(
      'cluster "retail" has 2 shards but 1 server address was given; pass one --clickhouse-url address per shard, comma-separated, in shard order'
    );
    const unknown = await runPipeline({...clickhouse(), clickhouseCluster: "nope"}).catch((caught) => caught);
    expect(unknown.message).toBe(
      `cluster "nope" is not defined on ${cluster.urls[0]} (see system.clusters); define it in the servers' remote_servers configuration or pass --clickhouse-cluster NAME`
    );
    for (const url of cluster.urls) {
      const client = createClient({url, log: {level: ClickHouseLogLevel.OFF}});
      await client.command({query: "CREATE DATABASE IF NOT EXISTS older"});
      await client.command({query: "CREATE TABLE IF NOT EXISTS older.raw_lines_local (file_hash String, line UInt32) ENGINE = MergeTree ORDER BY file_hash"});
      await client.close();
    }
    const mismatch = await runPipeline({...clickhouse(), clickhouseDatabase: "older"}).catch((caught) => caught);
    expect(mismatch).toBeInstanceOf(ClusterError);
    expect(mismatch.message).toMatch(
      /^schema mismatch: table older\.raw_lines_local on http:\/\/127\.0\.0\.1:\d+ has columns \(file_hash String, line UInt32\) but this version of the pipeline expects \(file_hash String, source_line UInt64, .*\); drop database older on every node/
    );
  });

  it("fails with the shard named when one is down, and leaves the snapshots as they were", async () => {
    const before = readManifest(onCluster.warehouse).tables;
    await cluster.stopShard(1);
    copyShipped(onCluster, 1, 31);
    const error = await runPipeline(clickhouse()).catch((caught) => caught);
    expect(error).toBeInstanceOf(ClusterError);
    expect(error.message).toBe(
      `shard 2 of cluster retail (${cluster.urls[1]}) is down or unreachable (ECONNREFUSED); start it, or fix --clickhouse-url, ` +
        "and run the pipeline again. The previous snapshots are unchanged"
    );
    const after = readManifest(onCluster.warehouse).tables;
    for (const name of STABLE_SNAPSHOTS) expect(after[name].sha256, name).toBe(before[name].sha256);
  });
});
