import {ClickHouseLogLevel, createClient, type ClickHouseClient} from "@clickhouse/client";
import {createWriteStream} from "node:fs";
import {Readable} from "node:stream";
import {pipeline} from "node:stream/promises";
import {PipelineError} from "../../errors.js";
import {chIdentifier, chString} from "./sql.js";

/** How to reach the cluster. Credentials come from the environment, never from files in the repository. */
export interface ClusterSettings {
  /** HTTP endpoint of one server per shard; queries go to the first. */
  urls: readonly string[];
  /** The cluster's name in the servers' `remote_servers` configuration. */
  cluster: string;
  /** Database the pipeline's tables live in (created if missing). */
  database: string;
  /** From CLICKHOUSE_USER (default `default`) and CLICKHOUSE_PASSWORD (default empty). */
  user: string;
  password: string;
}

/** ClickHouse failed in a way the user can act on: which node or shard, and what to do. */
export class ClusterError extends PipelineError {}

/**
 * A connection to every shard's server. Distributed queries and inserts go through the first node;
 * schema statements run on every node (without ZooKeeper there is no ON CLUSTER).
 */
export class Cluster {
  readonly database: string;
  private readonly clients: ClickHouseClient[];
  /** TCP address (host:port) of each shard, from the cluster definition, to name a shard that is down. */
  private shards: {num: number; address: string}[] = [];

  private constructor(readonly settings: ClusterSettings) {
    this.database = chIdentifier(settings.database);
    this.clients = settings.urls.map((url) =>
      createClient({
        url,
        username: settings.user,
        password: settings.password,
        request_timeout: 600_000,
        clickhouse_settings: {insert_distributed_sync: 1},
        log: {level: ClickHouseLogLevel.OFF}
      })
    );
  }

  /** Connects to every node and checks that the cluster definition matches the nodes given. */
  static async connect(settings: ClusterSettings): Promise<Cluster> {
    if (settings.urls.length === 0) {
      throw new ClusterError(
        "the ClickHouse engine needs the servers' HTTP addresses: pass --clickhouse-url http://host:8123[,http://host2:8123…] (one per shard)"
      );
    }
    const cluster = new Cluster(settings);
    await Promise.all(
      cluster.clients.map((_, index) =>
        cluster
          .node(index)
          .rows("SELECT 1 AS ok")
          .catch((error: Error) => {
            const reason = /unreachable \(([^)]*)\)/.exec(error.message)?.[1];
            if (!reason) throw error;
            throw new ClusterError(
              `shard ${index + 1} of cluster ${settings.cluster} (${settings.urls[index]}) is down or unreachable (${reason}); ` +
                `start it, or fix --clickhouse-url, and run the pipeline again. The previous snapshots are unchanged`
            );
          })
      )
    );
    const shards = await cluster.node(0).rows<{num: number; address: string}>(
      `SELECT shard_num AS num, concat(host_address, ':', toString(port)) AS address FROM system.clusters
       WHERE cluster = ${chString(settings.cluster)} ORDER BY shard_num`
    );
    if (shards.length === 0) {
      throw new ClusterError(
        `cluster ${JSON.stringify(settings.cluster)} is not defined on ${settings.urls[0]} (see system.clusters); ` +
          `define it in the servers' remote_servers configuration or pass --clickhouse-cluster NAME`
      );
    }
    if (shards.length !== settings.urls.length) {
      throw new ClusterError(
        `cluster ${JSON.stringify(settings.cluster)} has ${shards.length} shards but ${settings.urls.length} server address${settings.urls.length === 1 ? " was" : "es were"} given; ` +
          `pass one --clickhouse-url address per shard, comma-separated, in shard order`
      );
    }
    cluster.shards = shards.map((shard) => ({num: Number(shard.num), address: shard.address}));
    return cluster;
  }

  get nodeCount(): number {
    return this.clients.length;
  }

  /** Statements and queries against one node. */
  node(index: number) {
    const client = this.clients[index];
    const url = this.settings.urls[index];
    const fail = (error: unknown, sql: string): never => {
      throw this.explain(error, url, sql);
    };
    return {
      run: (sql: string) =>
        client.command({query: sql}).then(
          () => undefined,
          (error) => fail(error, sql)
        ),
      rows: <T = Record<string, unknown>>(sql: string) =>
        client.query({query: sql, format: "JSONEachRow"}).then(
          (result) => result.json<T>(),
          (error) => fail(error, sql)
        ) as Promise<T[]>,
      /** Streams TabSeparated rows into a table. */
      insert: (table: string, rows: AsyncIterable<string> | Iterable<string>) =>
        client.insert({table: `${this.database}.${chIdentifier(table)}`, values: Readable.from(rows, {objectMode: false}), format: "TabSeparated"}).then(
          () => undefined,
          (error) => fail(error, `INSERT INTO ${table}`)
        ),
      /** Writes a query's result to a file as CSV with a header row (NULL as \N). */
      exportCsv: async (sql: string, path: string) => {
        try {
          const result = await client.exec({query: `${sql} FORMAT CSVWithNames`});
          await pipeline(result.stream, createWriteStream(path));
        } catch (error) {
          fail(error, sql);
        }
      }
    };
  }

  /** Runs a statement on every node (schema changes). */
  async everyNode(sql: string): Promise<void> {
    await Promise.all(this.clients.map((_, index) => this.node(index).run(sql)));
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
  }

  /** Turns a client or server error into one that names the node or shard and says what to do. */
  private explain(error: unknown, url: string, sql: string): Error {
    const message = (error as Error)?.message ?? String(error);
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH" || code === "ECONNRESET" || /ECONNREFUSED|socket hang up/.test(message)) {
      return new ClusterError(
        `ClickHouse server ${url} is unreachable (${code ?? message}); start it, or fix --clickhouse-url. The previous snapshots are unchanged`
      );
    }
    const down = this.shards.find(
      (shard) => message.includes(shard.address) && /Connection refused|connect|NETWORK_ERROR|ALL_CONNECTION_TRIES_FAILED|Timeout/i.test(message)
    );
    if (down) {
      return new ClusterError(
        `shard ${down.num} of cluster ${this.settings.cluster} (${down.address}) is down: ${firstLine(message)}. ` +
          `Start it and run the pipeline again; the previous snapshots are unchanged`
      );
    }
    return new ClusterError(`ClickHouse at ${url} failed: ${firstLine(message)}\n  while running: ${sql.trim().replace(/\s+/g, " ").slice(0, 300)}`);
  }
}

const firstLine = (message: string) => message.split("\n")[0].replace(/, e\.what\(\) = DB::Exception$/, "");
