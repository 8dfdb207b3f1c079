import {literal, queryRows} from "../../db.js";
import {FIELDS} from "../../extract/header.js";
import {stagedPath} from "../../extract/staging.js";
import type {StageContext} from "../../run/stage.js";
import type {FileCounts, HeldFile, LoadRequest} from "../engine.js";
import {connect, currentFiles, exportToView} from "./connect.js";
import type {Cluster} from "./cluster.js";
import {readStagedRecords, joinCsv} from "./records.js";
import {ensureSchema, recreateWorkingTable} from "./schema.js";
import {chSet, chString, chStrings, tsvField} from "./sql.js";
import {PROBLEMS, typedStagingSql, VALID} from "./typing-sql.js";

/** Row counts the cluster holds for each file content. */
async function countsByHash(cluster: Cluster, hashes: readonly string[]): Promise<Map<string, FileCounts>> {
  const db = cluster.database;
  const counts = new Map<string, FileCounts>(hashes.map((hash) => [hash, {rows: 0, quarantined: 0}]));
  if (hashes.length === 0) return counts;
  const rows = await cluster.node(0).rows<{file_hash: string; rows: string; quarantined: string}>(
    `SELECT file_hash, sum(r) AS rows, sum(q) AS quarantined FROM (
       SELECT file_hash, count() AS r, 0 AS q FROM ${db}.raw_lines WHERE file_hash IN ${chSet(hashes)} GROUP BY file_hash
       UNION ALL SELECT file_hash, 0, count() FROM ${db}.quarantine WHERE file_hash IN ${chSet(hashes)} GROUP BY file_hash)
     GROUP BY file_hash`
  );
  for (const row of rows) counts.set(row.file_hash, {rows: Number(row.rows), quarantined: Number(row.quarantined)});
  return counts;
}

/** The previous run's contents the cluster still holds completely (exactly the rows it recorded). */
export async function held(context: StageContext, previous: ReadonlyMap<string, HeldFile>): Promise<Set<string>> {
  const cluster = await connect(context.options);
  try {
    await ensureSchema(cluster);
    const counts = await countsByHash(cluster, [...previous.keys()]);
    return new Set(
      [...previous].filter(([hash, file]) => counts.get(hash)?.rows === file.rows && counts.get(hash)?.quarantined === file.quarantined).map(([hash]) => hash)
    );
  } finally {
    await cluster.close();
  }
}

/**
 * Loads the extracted files into the cluster: their records, split into fields here, go to a staging
 * table as strings with their lineage; cluster SQL types them into the sharded `raw_lines` and sends
 * unusable ones to `quarantine`. Contents no longer current (removed or replaced files) are dropped.
 * `raw_lines` and `quarantine` then come back as the run's snapshots.
 */
export async function load(context: StageContext, request: LoadRequest): Promise<Map<string, FileCounts>> {
  const cluster = await connect(context.options);
  try {
    await ensureSchema(cluster);
    const db = cluster.database;
    const loading = [...request.extracted.keys()].map((file) => file.sha256);
    await dropContents(cluster, new Set(request.carried.keys()));

    await recreateWorkingTable(cluster, "staging");
    await recreateWorkingTable(cluster, "staging_names");
    await cluster.node(0).insert(
      "staging_names",
      [...request.extracted].map(
        ([file, result]) =>
          [
            file.sha256,
            ...(["invoice_no", "stock_code", "quantity", "invoice_date", "unit_price", "customer_id"] as const).map((field) => result.header.fieldName[field])
          ]
            .map(tsvField)
            .join("\t") + "\n"
      )
    );
    const problems: string[] = [];
    for (const [file, result] of request.extracted) {
      for (const issue of result.issues) {
        const problem = issue.reason.startsWith("invalid UTF-8") ? "encoding" : "quoting";
        problems.push([file.sha256, issue.line, problem, issue.reason, issue.text].map(tsvField).join("\t") + "\n");
      }
    }
    async function* stagingRows() {
      for (const [file, result] of request.extracted) {
        const index = FIELDS.map((field) => result.header.fieldIndex[field]);
        for await (const record of readStagedRecords(stagedPath(request.stagingDir, file.path), result.header.columns.length)) {
          if ("problem" in record) {
            problems.push([file.sha256, record.line, record.problem, record.reason, record.text].map(tsvField).join("\t") + "\n");
            continue;
          }
          const values = index.map((at) => {
            const value = at < 0 ? "" : record.fields[at].trim();
            return value === "" ? null : value;
          });
          yield [file.sha256, record.line, ...values, joinCsv(record.fields)].map(tsvField).join("\t") + "\n";
        }
      }
    }
    await cluster.node(0).insert("staging", stagingRows());
    if (problems.length > 0) await cluster.node(0).insert("quarantine", problems);

    const typed = typedStagingSql(db);
    await cluster.node(0).run(`
      INSERT INTO ${db}.raw_lines (file_hash, source_line, invoice_no, stock_code, description, quantity, invoice_date, unit_price, customer_id, country)
      SELECT file_hash, source_line, assumeNotNull(raw_invoice_no), assumeNotNull(raw_stock_code), raw_description, assumeNotNull(quantity_value),
        assumeNotNull(date_value), assumeNotNull(price_value), customer_value, raw_country
      FROM ${typed} WHERE ${VALID}`);
    await cluster.node(0).run(`
      INSERT INTO ${db}.quarantine (file_hash, source_line, problem, reason, raw_text)
      SELECT file_hash, source_line, 'value', ${PROBLEMS}, raw_text FROM ${typed} WHERE NOT ${VALID}`);
    await cluster.node(0).run(`DROP TABLE ${db}.staging`);
    await cluster.node(0).run(`DROP TABLE ${db}.staging_names`);

    const byHash = await countsByHash(cluster, loading);
    await exportRawTables(context, cluster);
    const counts = new Map<string, FileCounts>();
    const {pathOf} = currentFiles(context);
    for (const [hash, count] of byHash) counts.set(pathOf.get(hash)!, count);
    for (const [hash, file] of request.carried) counts.set(pathOf.get(hash)!, {rows: file.rows, quarantined: file.quarantined});
    return counts;
  } finally {
    await cluster.close();
  }
}

/** Drops, on every node, the raw and quarantine partitions of every content except those kept. */
async function dropContents(cluster: Cluster, keep: Set<string>): Promise<void> {
  const db = cluster.database;
  for (let node = 0; node < cluster.nodeCount; node++) {
    const parts = await cluster.node(node).rows<{table: string; partition: string}>(
      `SELECT DISTINCT table, partition FROM system.parts
       WHERE database = ${chString(db)} AND table IN ('raw_lines_local', 'quarantine_local') AND active`
    );
    for (const {table, partition} of parts) {
      const hash = partition.replace(/^'|'$/g, "");
      if (!keep.has(hash)) await cluster.node(node).run(`ALTER TABLE ${db}.${table} DROP PARTITION ${chString(hash)}`);
    }
  }
}

/** Streams the current contents' raw lines and quarantine back, in file and line order, as the run's tables. */
async function exportRawTables(context: StageContext, cluster: Cluster): Promise<void> {
  const db = cluster.database;
  const {hashes, paths} = currentFiles(context);
  const path = `transform(file_hash, ${chStrings(hashes)}, ${chStrings(paths)}, '')`;
  await exportToView(
    context,
    cluster,
    "raw_lines",
    `
    SELECT ${path} AS source_file, source_line, invoice_no, stock_code, description, quantity,
      formatDateTime(invoice_date, '%Y-%m-%d %H:%M:%S') AS invoice_date, unit_price, customer_id, country
    FROM ${db}.raw_lines WHERE file_hash IN ${chSet(hashes)} ORDER BY source_file, source_line`
  );
  await exportToView(
    context,
    cluster,
    "quarantine",
    `
    SELECT ${path} AS source_file, source_line, problem, reason, raw_text
    FROM ${db}.quarantine WHERE file_hash IN ${chSet(hashes)} ORDER BY source_file, source_line`
  );
}

/** The first `limit` quarantine reasons of each path, in line order (from the quarantine just brought back). */
export async function quarantineExamples(context: StageContext, paths: readonly string[], limit: number): Promise<Map<string, string[]>> {
  const rows = await queryRows<{source_file: string; source_line: number; reason: string}>(
    context.connection,
    `SELECT source_file, source_line, reason FROM quarantine WHERE source_file IN (SELECT unnest([${paths.map(literal).join(", ")}]))
     QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY source_line) <= ${limit} ORDER BY source_file, source_line`
  );
  const examples = new Map<string, string[]>();
  for (const row of rows) examples.set(row.source_file, [...(examples.get(row.source_file) ?? []), `line ${row.source_line}: ${row.reason}`]);
  return examples;
}
