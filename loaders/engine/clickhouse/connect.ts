import {join} from "node:path";
import type {PipelineOptions} from "../../config.js";
import {identifier, literal} from "../../db.js";
import {SNAPSHOTS, type SnapshotName} from "../../schema/index.js";
import type {StageContext} from "../../run/stage.js";
import {Cluster} from "./cluster.js";

/** Connects to the cluster the options name; credentials come from CLICKHOUSE_USER and CLICKHOUSE_PASSWORD. */
export function connect(options: PipelineOptions): Promise<Cluster> {
  return Cluster.connect({
    urls: options.clickhouseUrl
      .split(",")
      .map((url) => url.trim())
      .filter(Boolean),
    cluster: options.clickhouseCluster,
    database: options.clickhouseDatabase,
    user: process.env.CLICKHOUSE_USER ?? "default",
    password: process.env.CLICKHOUSE_PASSWORD ?? ""
  });
}

/** The current input contents (first path in path order for each SHA-256), as parallel arrays and a map. */
export function currentFiles(context: StageContext): {hashes: string[]; paths: string[]; pathOf: Map<string, string>} {
  const pathOf = new Map<string, string>();
  for (const file of context.files) if (!pathOf.has(file.sha256)) pathOf.set(file.sha256, file.path);
  return {hashes: [...pathOf.keys()], paths: [...pathOf.values()], pathOf};
}

/**
 * Streams a cluster query's result (columns in the snapshot's documented order) to a CSV file in the run
 * folder and makes it table `name` in the run's DuckDB, typed as the snapshot contract says; the runner
 * then writes it as the usual Parquet snapshot.
 */
export async function exportToView(
  context: StageContext,
  cluster: Cluster,
  name: SnapshotName,
  sql: string,
  {replace = "", orderBy = ""}: {replace?: string; orderBy?: string} = {}
): Promise<void> {
  const path = join(context.runDir, `${name}.clickhouse.csv`);
  await cluster.node(0).exportCsv(sql, path);
  const columns = Object.entries(SNAPSHOTS[name].columns).map(([column, spec]) => `${literal(column)}: ${literal(spec.type)}`);
  await context.connection.run(
    `CREATE OR REPLACE VIEW ${identifier(name)} AS SELECT * ${replace} FROM read_csv(${literal(path)}, header = true, auto_detect = false,
       delim = ',', quote = '"', escape = '"', nullstr = '\\N', columns = {${columns.join(", ")}}) ${orderBy ? `ORDER BY ${orderBy}` : ""}`
  );
}
