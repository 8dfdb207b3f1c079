import {literal, queryRow} from "../../db.js";
import type {StageContext} from "../../run/stage.js";
import type {CleanRules} from "../../transform/clean-sql.js";
import {matchReturns, type Cancellation, type Purchase} from "../../transform/match-returns.js";
import type {CleanSummary} from "../engine.js";
import {connect, currentFiles, exportToView} from "./connect.js";
import type {Cluster} from "./cluster.js";
import {ensureSchema, recreateWorkingTable, truncateSharded} from "./schema.js";
import {chSet, chString, chStrings, tsvField} from "./sql.js";

/** Every current raw line with its path, product code, flags and category (the DuckDB engine's rules). */
function classifiedSql(db: string, hashes: string[], paths: string[], rules: CleanRules): string {
  const nonProduct = [
    rules.nonProductCodes.length > 0 ? `upper(stock_code) IN (${rules.nonProductCodes.map(chString).join(", ")})` : null,
    ...rules.nonProductPatterns.map((pattern) => `match(upper(stock_code), ${chString(`(?i)${pattern}`)})`)
  ].filter(Boolean);
  return `(
    SELECT *, transform(file_hash, ${chStrings(hashes)}, ${chStrings(paths)}, '') AS source_file, upper(stock_code) AS code,
      startsWith(upper(invoice_no), 'C') AS is_cancellation, ${nonProduct.length > 0 ? `(${nonProduct.join(" OR ")})` : "0"} AS is_non_product,
      multiIf(
        (file_hash, source_line) GLOBAL IN (SELECT file_hash, source_line FROM ${db}.duplicate_lines), 'duplicate',
        is_cancellation AND quantity > 0, 'positive_cancellation',
        is_cancellation, 'return',
        is_non_product, 'non_product',
        unit_price = 0, 'zero_price',
        unit_price < 0, 'negative_price',
        quantity <= 0, 'non_positive_quantity',
        'sale') AS category
    FROM ${db}.raw_lines WHERE file_hash IN ${chSet(hashes)})`;
}

const formatTime = (column: string) => `formatDateTime(${column}, '%Y-%m-%d %H:%M:%S')`;

/**
 * Money leaves the cluster as exact decimals, for DuckDB to read as DOUBLE: ClickHouse's own Decimal to
 * Float64 conversion is not correctly rounded (12.6 would arrive as 12.600000000000001).
 *
 * Cleans in the cluster: finds exact duplicates, matches cancellations to purchases (in JavaScript, like
 * the DuckDB engine), fills the sharded `sales` and `returns` tables the marts read, and brings `sales`,
 * `returns` and `excluded_lines` back as the run's tables.
 */
export async function clean(context: StageContext, rules: CleanRules): Promise<CleanSummary> {
  const cluster = await connect(context.options);
  try {
    await ensureSchema(cluster);
    const db = cluster.database;
    const {hashes, paths} = currentFiles(context);
    await checkRawLines(context, cluster, hashes);
    const path = `transform(file_hash, ${chStrings(hashes)}, ${chStrings(paths)}, '')`;

    await recreateWorkingTable(cluster, "duplicate_lines");
    await cluster.node(0).run(`
      INSERT INTO ${db}.duplicate_lines
      SELECT tupleElement(copy, 3), tupleElement(copy, 2), first_line FROM (
        SELECT arraySort(groupArray((${path}, source_line, file_hash))) AS copies,
          concat(tupleElement(copies[1], 1), ' line ', toString(tupleElement(copies[1], 2))) AS first_line
        FROM ${db}.raw_lines WHERE file_hash IN ${chSet(hashes)}
        GROUP BY invoice_no, stock_code, description, quantity, invoice_date, unit_price, customer_id, country
        HAVING count() > 1
      ) ARRAY JOIN arraySlice(copies, 2) AS copy`);

    const classified = classifiedSql(db, hashes, paths, rules);
    const rank = new Map(paths.map((value, index) => [value, index]));
    const id = (row: {source_file: string; source_line: string}) => rank.get(row.source_file)! * 2 ** 32 + Number(row.source_line);
    type Candidate = {source_file: string; source_line: string; file_hash: string; customer: number; product: string; time: string; quantity: number};
    const purchases = await cluster.node(0).rows<Candidate>(`
      SELECT source_file, source_line, file_hash, assumeNotNull(customer_id) AS customer, code AS product, toUnixTimestamp(invoice_date) * 1000 AS time, quantity
      FROM ${classified}
      WHERE category = 'sale' AND customer_id IS NOT NULL
        AND (assumeNotNull(customer_id), code) GLOBAL IN (
          SELECT assumeNotNull(customer_id), code FROM ${classified} WHERE category = 'return' AND customer_id IS NOT NULL)`);
    const cancellations = await cluster.node(0).rows<Candidate>(`
      SELECT source_file, source_line, file_hash, assumeNotNull(customer_id) AS customer, code AS product, toUnixTimestamp(invoice_date) * 1000 AS time, -quantity AS quantity
      FROM ${classified} WHERE category = 'return' AND customer_id IS NOT NULL AND NOT is_non_product`);
    const byId = new Map([...purchases, ...cancellations].map((row) => [id(row), row]));
    const toModel = (row: Candidate): Purchase & Cancellation => ({
      id: id(row),
      customer: Number(row.customer),
      product: row.product,
      time: Number(row.time),
      quantity: Number(row.quantity)
    });
    const matches = matchReturns(purchases.map(toModel), cancellations.map(toModel));
    await recreateWorkingTable(cluster, "return_matches");
    if (matches.length > 0) {
      await cluster.node(0).insert(
        "return_matches",
        matches.map((match) => {
          const purchase = byId.get(match.purchase)!;
          const cancellation = byId.get(match.cancellation)!;
          return [purchase.file_hash, purchase.source_line, cancellation.file_hash, cancellation.source_line, match.quantity].map(tsvField).join("\t") + "\n";
        })
      );
    }

    await truncateSharded(cluster, "sales");
    await truncateSharded(cluster, "returns");
    await cluster.node(0).run(`
      INSERT INTO ${db}.sales
      SELECT file_hash, source_line, invoice_no, invoice_date, code, description, quantity, unit_price, customer_id,
        ifNull(country, 'Unspecified'), returned
      FROM (SELECT * FROM ${classified} WHERE category = 'sale')
      GLOBAL ANY LEFT JOIN (
        SELECT purchase_hash AS file_hash, purchase_line AS source_line, toInt32(sum(quantity)) AS returned
        FROM ${db}.return_matches GROUP BY file_hash, source_line
      ) USING (file_hash, source_line)`);
    await cluster.node(0).run(`
      INSERT INTO ${db}.returns
      SELECT file_hash, source_line, invoice_no, invoice_date, code, description, -quantity, unit_price, customer_id,
        ifNull(country, 'Unspecified'), NOT is_non_product, matched
      FROM (SELECT * FROM ${classified} WHERE category = 'return')
      GLOBAL ANY LEFT JOIN (
        SELECT cancellation_hash AS file_hash, cancellation_line AS source_line, toInt32(sum(quantity)) AS matched
        FROM ${db}.return_matches GROUP BY file_hash, source_line
      ) USING (file_hash, source_line)`);

    await exportToView(
      context,
      cluster,
      "sales",
      `
      SELECT ${path} AS source_file, source_line, invoice_no, ${formatTime("invoice_date")} AS invoice_date, stock_code, description, quantity,
        unit_price, customer_id, country, unit_price * quantity AS revenue, returned_quantity,
        quantity - returned_quantity AS net_quantity, unit_price * (quantity - returned_quantity) AS net_revenue
      FROM ${db}.sales ORDER BY source_file, source_line`
    );
    await exportToView(
      context,
      cluster,
      "returns",
      `
      SELECT ${path} AS source_file, source_line, invoice_no, ${formatTime("invoice_date")} AS invoice_date, stock_code, description, quantity,
        unit_price, customer_id, country, unit_price * quantity AS value,
        if(is_product, 'true', 'false') AS is_product, matched_quantity, quantity - matched_quantity AS unmatched_quantity
      FROM ${db}.returns ORDER BY source_file, source_line`
    );
    await exportToView(
      context,
      cluster,
      "excluded_lines",
      `
      SELECT source_file, source_line, invoice_no, ${formatTime("invoice_date")} AS invoice_date, code AS stock_code, description, quantity,
        unit_price, customer_id, country, category AS reason,
        multiIf(
          category = 'duplicate', concat('exact copy of ', first_line),
          category = 'positive_cancellation', concat('cancellation invoice with a positive quantity (', toString(quantity), ')'),
          category = 'non_product', concat(code, ifNull(concat(' (', description, ')'), ''), ' is a fee, postage or adjustment, not a product'),
          category = 'zero_price', 'unit price is 0',
          category = 'negative_price', '',
          concat('quantity ', toString(quantity), ' on a sales invoice: a stock adjustment')) AS detail
      FROM (SELECT * FROM ${classified} WHERE category NOT IN ('sale', 'return'))
      GLOBAL ANY LEFT JOIN (SELECT file_hash, source_line, first_line FROM ${db}.duplicate_lines) USING (file_hash, source_line)
      ORDER BY source_file, source_line`,
      // Written with the price as the DuckDB engine prints a DOUBLE.
      {
        replace: `REPLACE (CASE WHEN reason = 'negative_price' THEN 'unit price is negative (' || unit_price || '): a bad-debt adjustment' ELSE detail END AS detail)`
      }
    );

    const [summary] = await cluster.node(0).rows<Record<string, string>>(`
      SELECT count() AS lines, countIf(category = 'sale') AS sales, countIf(category = 'return') AS returns,
        countIf(category NOT IN ('sale', 'return')) AS excluded FROM ${classified}`);
    const [units] = await cluster
      .node(0)
      .rows<Record<string, string>>(`SELECT sum(matched_quantity) AS matched, sum(quantity) AS returned FROM ${db}.returns WHERE is_product`);
    return {
      lines: Number(summary.lines),
      sales: Number(summary.sales),
      returns: Number(summary.returns),
      excluded: Number(summary.excluded),
      matchedUnits: Number(units.matched ?? 0),
      returnedUnits: Number(units.returned ?? 0)
    };
  } finally {
    await cluster.close();
  }
}

/** The cluster must still hold the raw lines the last ingest loaded (someone may have reset it since). */
async function checkRawLines(context: StageContext, cluster: Cluster, hashes: string[]): Promise<void> {
  const [{rows}] = await cluster.node(0).rows<{rows: string}>(`SELECT count() AS rows FROM ${cluster.database}.raw_lines WHERE file_hash IN ${chSet(hashes)}`);
  const {expected} = await queryRow<{expected: number}>(
    context.connection,
    `SELECT sum(num_rows)::BIGINT AS expected FROM parquet_file_metadata(${literal(context.inputPath("raw_lines"))})`
  );
  if (Number(rows) !== expected) {
    const {ClusterError} = await import("./cluster.js");
    throw new ClusterError(
      `the cluster holds ${rows} raw lines of the current files but the raw_lines snapshot has ${expected}: ` +
        `the cluster's tables changed outside the pipeline. Run \`npm run pipeline -- --force\` (with the same engine options) to reload them`
    );
  }
}
