import {identifier, listLiteral, literal} from "../db.js";
import {FIELDS, type Field, type Header} from "../extract/header.js";

/**
 * SQL that parses staged files (all sharing one header) into typed raw rows, and finds the records that
 * cannot be typed, with the reason why. Every value is read as text first, so a bad value never stops
 * the scan: it becomes a quarantine reason instead.
 */

/** A staged copy of an input file, and the path its rows are attributed to. */
export interface StagedFile {
  stagedPath: string;
  sourcePath: string;
}

/** Column names in staged files: `source_line`, then c0, c1, … in the file's own order. */
const column = (index: number) => `c${index}`;

/** The staged files as a table: source_file, source_line, c0, c1, … (rejected records are skipped). */
function stagedSource(files: readonly StagedFile[], header: Header, rejectsGroup: number | null): string {
  const columns = [`'source_line': 'BIGINT'`, ...header.columns.map((_, index) => `'${column(index)}': 'VARCHAR'`)];
  const paths = files.map((file) => `(${literal(file.stagedPath)}, ${literal(file.sourcePath)})`).join(", ");
  const rejects =
    rejectsGroup === null
      ? `ignore_errors = true`
      : `store_rejects = true, rejects_table = 'staged_rejects_${rejectsGroup}', rejects_scan = 'staged_reject_scans_${rejectsGroup}'`;
  return `(
    SELECT paths.source_file, csv.* EXCLUDE (filename)
    FROM read_csv(${listLiteral(files.map((file) => file.stagedPath))},
      header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
      columns = {${columns.join(", ")}}, filename = true, ${rejects}) AS csv
    JOIN (VALUES ${paths}) AS paths(staged, source_file) ON csv.filename = paths.staged)`;
}

/** Typed expressions and the reason a value cannot be typed, for each field. */
function fieldSql(header: Header): Record<Field, {value: string; problem: string | null}> {
  const raw = (field: Field) => {
    const index = header.fieldIndex[field];
    return index < 0 ? "CAST(NULL AS VARCHAR)" : `nullif(trim(${column(index)}), '')`;
  };
  const name = (field: Field) => literal(header.fieldName[field]);
  const shown = (field: Field) => `'''' || ${raw(field)} || ''''`;
  const required = (field: Field, invalid: string | null, what: string) =>
    `CASE WHEN ${raw(field)} IS NULL THEN ${name(field)} || ' is empty'` +
    (invalid ? ` WHEN ${invalid} THEN ${name(field)} || ' is not ${what}: ' || ${shown(field)}` : "") +
    ` END`;
  // The common spelling is tried first; the slower alternatives run only for values it does not parse.
  const quantity = `coalesce(TRY_CAST(${raw("quantity")} AS INTEGER), TRY_CAST(regexp_extract(${raw("quantity")}, '^(-?[0-9]+)\\.0+$', 1) AS INTEGER))`;
  const date = `coalesce(
      try_strptime(${raw("invoice_date")}, '%Y-%m-%d %H:%M:%S'),
      try_strptime(${raw("invoice_date")}, '%m/%d/%Y %H:%M'),
      try_strptime(${raw("invoice_date")}, '%Y-%m-%d %H:%M'),
      try_strptime(${raw("invoice_date")}, '%m/%d/%Y %H:%M:%S'))`;
  const price = `CAST(TRY_CAST(${raw("unit_price")} AS DECIMAL(18, 4)) AS DOUBLE)`;
  const customer = `coalesce(TRY_CAST(${raw("customer_id")} AS INTEGER), TRY_CAST(regexp_extract(${raw("customer_id")}, '^([0-9]+)\\.0+$', 1) AS INTEGER))`;
  return {
    invoice_no: {value: raw("invoice_no"), problem: required("invoice_no", null, "")},
    stock_code: {value: raw("stock_code"), problem: required("stock_code", null, "")},
    description: {value: raw("description"), problem: null},
    quantity: {value: quantity, problem: required("quantity", `${quantity} IS NULL`, "a whole number")},
    invoice_date: {
      value: date,
      problem: required("invoice_date", `${date} IS NULL`, "a valid date in YYYY-MM-DD HH:MM:SS or M/D/YYYY H:MM form")
    },
    unit_price: {value: price, problem: required("unit_price", `${price} IS NULL`, "a number")},
    customer_id: {
      value: customer,
      problem: `CASE WHEN ${raw("customer_id")} IS NOT NULL AND (${customer} IS NULL OR ${customer} < 0)
        THEN ${name("customer_id")} || ' is not a whole number: ' || ${shown("customer_id")} END`
    },
    country: {value: raw("country"), problem: null}
  };
}

function problemsSql(header: Header): string {
  const fields = fieldSql(header);
  const problems = FIELDS.map((field) => fields[field].problem).filter((problem) => problem !== null);
  return `nullif(concat_ws('; ', ${problems.join(", ")}), '')`;
}

/**
 * Parsed, typed rows of the staged files (records with a problem left out), in the raw_lines layout.
 * Records the CSV reader rejects are stored in reject tables numbered `group` (see rejectedRecordsSql).
 */
export function typedRowsSql(files: readonly StagedFile[], header: Header, group: number): string {
  const fields = fieldSql(header);
  return `
    SELECT source_file, source_line, ${FIELDS.map((field) => `${fields[field].value} AS ${identifier(field)}`).join(", ")}
    FROM ${stagedSource(files, header, group)}
    WHERE ${problemsSql(header)} IS NULL`;
}

/**
 * Records of the staged files with a value that cannot be typed, in the quarantine layout. This second
 * scan ignores (does not store) structural rejects: the first scan stored them.
 */
export function valueProblemsSql(files: readonly StagedFile[], header: Header): string {
  const csvField = (index: number) =>
    `CASE WHEN ${column(index)} IS NULL THEN '' WHEN ${column(index)} LIKE '%,%' OR ${column(index)} LIKE '%"%'
      THEN '"' || replace(${column(index)}, '"', '""') || '"' ELSE ${column(index)} END`;
  return `
    SELECT source_file, source_line, 'value' AS problem, problems AS reason,
      concat_ws(',', ${header.columns.map((_, index) => csvField(index)).join(", ")}) AS raw_text
    FROM (SELECT *, ${problemsSql(header)} AS problems FROM ${stagedSource(files, header, null)})
    WHERE problems IS NOT NULL`;
}

/**
 * Records DuckDB's CSV reader rejected during the first scan (wrong number of fields, stray quotes), one
 * row per record. Staged records carry one extra leading field (the line number): counts are corrected.
 */
export function rejectedRecordsSql(files: readonly StagedFile[], group: number): string {
  const paths = files.map((file) => `(${literal(file.stagedPath)}, ${literal(file.sourcePath)})`).join(", ");
  return `
  SELECT paths.source_file, rejects.source_line, 'structure' AS problem,
    CASE
      WHEN rejects.error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')
        THEN 'expected ' || (TRY_CAST(regexp_extract(rejects.message, 'Expected Number of Columns: ([0-9]+)', 1) AS INTEGER) - 1)
          || ' fields, found ' || (TRY_CAST(regexp_extract(rejects.message, 'Found: ([0-9]+)', 1) AS INTEGER) - 1)
      WHEN rejects.error_type = 'UNQUOTED VALUE'
        THEN 'badly quoted field: a quote inside an unquoted field, or text after a closing quote'
      ELSE lower(rejects.error_type) || ': ' || rejects.message
    END AS reason,
    rejects.raw_text
  FROM (
    SELECT scan_id, file_id,
      TRY_CAST(regexp_extract(csv_line, '^([0-9]+),', 1) AS BIGINT) AS source_line,
      regexp_replace(csv_line, '^[0-9]+,', '') AS raw_text,
      arg_min(error_type, column_idx) AS error_type,
      arg_min(error_message, column_idx) AS message
    FROM staged_rejects_${group}
    GROUP BY ALL
  ) AS rejects
  JOIN staged_reject_scans_${group} AS scans USING (scan_id, file_id)
  JOIN (VALUES ${paths}) AS paths(staged, source_file) ON scans.file_path = paths.staged`;
}

/** Drops the reject tables of a previous scan on this connection (DuckDB appends to them otherwise). */
export function dropRejectsSql(group: number): string {
  return `DROP TABLE IF EXISTS staged_rejects_${group}; DROP TABLE IF EXISTS staged_reject_scans_${group};`;
}

export const RAW_COLUMNS = `source_file VARCHAR, source_line BIGINT, invoice_no VARCHAR, stock_code VARCHAR, description VARCHAR,
  quantity INTEGER, invoice_date TIMESTAMP, unit_price DOUBLE, customer_id INTEGER, country VARCHAR`;
export const QUARANTINE_COLUMNS = "source_file VARCHAR, source_line BIGINT, problem VARCHAR, reason VARCHAR, raw_text VARCHAR";
