import {spawn, spawnSync, type ChildProcess} from "node:child_process";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {createServer} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";

/** A ClickHouse cluster of local server processes, one per shard, for tests and benchmarks. */
export interface LocalCluster {
  cluster: string;
  /** HTTP endpoint of each shard's server, in shard order. */
  urls: string[];
  /** Stops one shard's server (SIGTERM, then SIGKILL after a timeout). */
  stopShard(index: number): Promise<void>;
  /** Stops every server and removes their folders. */
  stop(): Promise<void>;
}

export function clickhouseServerBinary(): string | null {
  for (const candidate of ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"]) {
    if (spawnSync("test", ["-x", candidate]).status === 0) return candidate;
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });
}

const users = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>::1</ip><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

/**
 * Starts `shards` clickhouse-server processes on 127.0.0.1 with their own ports and data folders, each
 * knowing the cluster definition, and waits until all answer. Stop it with `stop()` (also on failure).
 */
export async function startCluster({shards = 2, cluster = "retail"} = {}): Promise<LocalCluster> {
  const binary = clickhouseServerBinary();
  if (!binary) throw new Error("clickhouse-server is not installed; `apt-get install -y clickhouse-server clickhouse-client` (see .ci/run)");
  const root = mkdtempSync(join(tmpdir(), "retail-clickhouse-"));
  const ports = [];
  for (let shard = 0; shard < shards; shard++) ports.push({http: await freePort(), tcp: await freePort(), interserver: await freePort()});
  writeFileSync(join(root, "users.xml"), users);
  const remote = ports.map(({tcp}) => `<shard><replica><host>127.0.0.1</host><port>${tcp}</port></replica></shard>`).join("");
  const processes: (ChildProcess | null)[] = [];
  ports.forEach(({http, tcp, interserver}, shard) => {
    const dir = join(root, `shard${shard + 1}`);
    mkdirSync(dir, {recursive: true});
    writeFileSync(
      join(dir, "config.xml"),
      `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog><console>0</console></logger>
  <http_port>${http}</http_port><tcp_port>${tcp}</tcp_port><interserver_http_port>${interserver}</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path><tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path><format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${root}/users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <remote_servers><${cluster}>${remote}</${cluster}></remote_servers>
</yandex>
`
    );
    const child = spawn(binary, [`--config-file=${join(dir, "config.xml")}`], {stdio: "ignore"});
    processes.push(child);
  });
  const stopShard = async (index: number) => {
    const child = processes[index];
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    processes[index] = null;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const stop = async () => {
    await Promise.all(processes.map((_, index) => stopShard(index)));
    rmSync(root, {recursive: true, force: true});
  };
  const urls = ports.map(({http}) => `http://127.0.0.1:${http}`);
  try {
    const deadline = Date.now() + 60_000;
    for (const url of urls) {
      for (;;) {
        const answer = await fetch(`${url}/?query=SELECT%201`).then(
          (response) => response.text(),
          () => ""
        );
        if (answer.trim() === "1") break;
        if (Date.now() > deadline) throw new Error(`clickhouse-server at ${url} did not start within 60 s (logs in ${root})`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {cluster, urls, stopShard, stop};
}
