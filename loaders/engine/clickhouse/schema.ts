import {ClusterError, type Cluster} from "./cluster.js";
import {chString} from "./sql.js";

/**
 * The pipeline's tables in the cluster. Line-level tables are MergeTree tables on every shard behind a
 * Distributed table, sharded by customer (guest lines by invoice) so customer and invoice aggregation
 * stays local to a shard; raw lines and quarantine are partitioned by file content, so a replaced or
 * removed file is dropped with one cheap, synchronous statement. Working tables live on the first node.
 */

/** Sharding key: a customer's lines (and a guest invoice's lines) always land on the same shard. */
const BY_CUSTOMER = "cityHash64(ifNull(toString(customer_id), invoice_no))";

const RAW_COLUMNS = `file_hash String, source_line UInt64, invoice_no String, stock_code String, description Nullable(String),
  quantity Int32, invoice_date DateTime('UTC'), unit_price Decimal(18, 4), customer_id Nullable(Int32), country Nullable(String)`;

const LINE_COLUMNS = `file_hash String, source_line UInt64, invoice_no String, invoice_date DateTime('UTC'), stock_code String,
  description Nullable(String), quantity Int32, unit_price Decimal(18, 4), customer_id Nullable(Int32), country String`;

/** Tables on every node: [name, columns, engine]. Each `x_local` gets a Distributed `x` over it. */
const SHARDED: [string, string, string, string][] = [
  ["raw_lines", RAW_COLUMNS, "MergeTree PARTITION BY file_hash ORDER BY (file_hash, source_line)", BY_CUSTOMER],
  [
    "quarantine",
    "file_hash String, source_line UInt64, problem String, reason String, raw_text String",
    "MergeTree PARTITION BY file_hash ORDER BY (file_hash, source_line)",
    "cityHash64(file_hash)"
  ],
  ["sales", `${LINE_COLUMNS}, returned_quantity Int32`, "MergeTree ORDER BY (file_hash, source_line)", BY_CUSTOMER],
  ["returns", `${LINE_COLUMNS}, is_product UInt8, matched_quantity Int32`, "MergeTree ORDER BY (file_hash, source_line)", BY_CUSTOMER]
];

/** Working tables on the first node, rebuilt by the run that uses them. */
export const WORKING = {
  staging: `file_hash String, source_line UInt64, raw_invoice_no Nullable(String), raw_stock_code Nullable(String),
    raw_description Nullable(String), raw_quantity Nullable(String), raw_invoice_date Nullable(String), raw_unit_price Nullable(String),
    raw_customer_id Nullable(String), raw_country Nullable(String), raw_text String`,
  staging_names: `file_hash String, name_invoice_no String, name_stock_code String, name_quantity String, name_invoice_date String,
    name_unit_price String, name_customer_id String`,
  duplicate_lines: "file_hash String, source_line UInt64, first_line String",
  return_matches: "purchase_hash String, purchase_line UInt64, cancellation_hash String, cancellation_line UInt64, quantity Int32"
} as const;

/** Creates the database and tables where missing, and checks that existing ones have the expected columns. */
export async function ensureSchema(cluster: Cluster): Promise<void> {
  const db = cluster.database;
  await cluster.everyNode(`CREATE DATABASE IF NOT EXISTS ${db}`);
  for (const [name, columns, engine] of SHARDED) {
    await cluster.everyNode(`CREATE TABLE IF NOT EXISTS ${db}.${name}_local (${columns}) ENGINE = ${engine}`);
  }
  for (let node = 0; node < cluster.nodeCount; node++) {
    for (const [name, columns] of SHARDED) await checkColumns(cluster, node, `${name}_local`, columns);
  }
  for (const [name, , , key] of SHARDED) {
    await cluster.everyNode(
      `CREATE TABLE IF NOT EXISTS ${db}.${name} AS ${db}.${name}_local ENGINE = Distributed(${cluster.settings.cluster}, ${db}, ${name}_local, ${key})`
    );
  }
}

/** (Re)creates a working table on the first node, empty. */
export async function recreateWorkingTable(cluster: Cluster, name: keyof typeof WORKING): Promise<void> {
  const node = cluster.node(0);
  await node.run(`DROP TABLE IF EXISTS ${cluster.database}.${name}`);
  await node.run(`CREATE TABLE ${cluster.database}.${name} (${WORKING[name]}) ENGINE = Log`);
}

/** Empties a sharded table on every node. */
export async function truncateSharded(cluster: Cluster, name: "sales" | "returns"): Promise<void> {
  await cluster.everyNode(`TRUNCATE TABLE ${cluster.database}.${name}_local`);
}

async function checkColumns(cluster: Cluster, node: number, table: string, expected: string): Promise<void> {
  const want = expected.split(/,\s*(?![^()]*\))/).map((column) => column.trim().replace(/\s+/g, " "));
  const have = (
    await cluster
      .node(node)
      .rows<{name: string; type: string}>(
        `SELECT name, type FROM system.columns WHERE database = ${chString(cluster.database)} AND table = ${chString(table)} `
      )
  ).map((column) => `${column.name} ${column.type}`);
  const normalise = (column: string) => column.replace(/\s*,\s*/g, ", ").replace(/'/g, "'");
  if (have.map(normalise).join(", ") !== want.map(normalise).join(", ")) {
    throw new ClusterError(
      `schema mismatch: table ${cluster.database}.${table} on ${cluster.settings.urls[node]} has columns (${have.join(", ")}) ` +
        `but this version of the pipeline expects (${want.join(", ")}); drop database ${cluster.database} on every node ` +
        `(DROP DATABASE ${cluster.database}) to rebuild it, or pass --clickhouse-database NAME`
    );
  }
}
