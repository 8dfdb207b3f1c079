import {identifier, listLiteral, literal} from "../../db.js";
import {FIELDS, type Field, type Header} from "../../extract/header.js";

/**
 * SQL that parses staged files (all sharing one header) into typed raw rows, and finds the records that
 * cannot be typed, with the reason why. Every value is read as text first, so a bad value never stops
 * the scan: it becomes a quarantine reason instead.
 */

/**
 * Staged copies of input files live at `<stagingDir>/<source path>.csv`, so each row's source path is
 * read off the staged file name: no lookup, no join, and the scan keeps the files' order.
 */
export interface StagedFiles {
  stagingDir: string;
  /** Source paths (relative to the raw folder), in the order to read them. */
  paths: string[];
}

export {stagedPath} from "../../extract/staging.js";

import {stagedPath} from "../../extract/staging.js";

/** Column names in staged files: `source_line`, then c0, c1, … in the file's own order. */
const column = (index: number) => `c${index}`;

/** The staged files as a table: source_file, source_line, c0, c1, … (rejected records are skipped). */
function stagedSource({stagingDir, paths}: StagedFiles, header: Header, group: number, keepRejects: boolean): string {
  const columns = [`'source_line': 'BIGINT'`, ...header.columns.map((_, index) => `'${column(index)}': 'VARCHAR'`)];
  // Both scans store their rejects (the second into throw-away tables): DuckDB recovers from a bad
  // record differently with ignore_errors alone, and the two scans must see the same records.
  const table = `${keepRejects ? "staged" : "discarded"}_rejects_${group}`;
  const scans = `${keepRejects ? "staged" : "discarded"}_reject_scans_${group}`;
  const rejects = `store_rejects = true, rejects_table = '${table}', rejects_scan = '${scans}'`;
  return `(
    SELECT filename[length(${literal(stagingDir)}) + 2:-5] AS source_file, * EXCLUDE (filename)
    FROM read_csv(${listLiteral(paths.map((path) => stagedPath(stagingDir, path)))},
      header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
      columns = {${columns.join(", ")}}, filename = true, ${rejects}))`;
}

/**
 * A whole number written as digits, optionally with a zero fraction (`17850.0`). DuckDB's own cast would
 * also accept (and round) `6.5`, `1e3` or `0x10`, so the spelling is checked first.
 */
function wholeNumber(raw: string, signed: boolean): string {
  return `CASE WHEN regexp_full_match(${raw}, '${signed ? "-?" : ""}[0-9]+(\\.0+)?') THEN TRY_CAST(split_part(${raw}, '.', 1) AS INTEGER) END`;
}

/**
 * How each field is typed. `value` reads the raw text column `raw_<field>`; the common spelling is tried
 * first and the slower alternatives run only for values it does not parse. `required` fields must be
 * present; `typed` fields must parse when present.
 */
const TYPING: Record<Field, {value: (raw: string) => string; required: boolean; what?: string}> = {
  invoice_no: {value: (raw) => raw, required: true},
  stock_code: {value: (raw) => raw, required: true},
  description: {value: (raw) => raw, required: false},
  quantity: {value: (raw) => wholeNumber(raw, true), required: true, what: "a whole number"},
  invoice_date: {
    value: (raw) => `coalesce(
      try_strptime(${raw}, '%Y-%m-%d %H:%M:%S'), try_strptime(${raw}, '%m/%d/%Y %H:%M'),
      try_strptime(${raw}, '%Y-%m-%d %H:%M'), try_strptime(${raw}, '%m/%d/%Y %H:%M:%S'))`,
    required: true,
    what: "a valid date in YYYY-MM-DD HH:MM:SS or M/D/YYYY H:MM form"
  },
  unit_price: {
    value: (raw) => `CASE WHEN regexp_full_match(${raw}, '-?([0-9]+\\.?[0-9]*|\\.[0-9]+)') THEN CAST(TRY_CAST(${raw} AS DECIMAL(18, 4)) AS DOUBLE) END`,
    required: true,
    what: "a number"
  },
  customer_id: {value: (raw) => wholeNumber(raw, false), required: false, what: "a whole number"},
  country: {value: (raw) => raw, required: false}
};

/**
 * `trim(text)`, calling it only where it can change something. DuckDB's trim walks every code point of
 * the text (to find the last one that is not a Unicode space separator) and copies the result, which was
 * most of the cost of typing a line. The only space separator in ASCII is the space itself, so text that is
 * all ASCII (as many bytes as characters) and neither starts nor ends with a space is its own trim.
 */
export function trimmedSql(text: string): string {
  return `CASE WHEN starts_with(${text}, ' ') OR ends_with(${text}, ' ') OR strlen(${text}) <> length(${text}) THEN trim(${text}) ELSE ${text} END`;
}

/** The staged rows with raw_<field> text and typed <field> columns. */
function typedSource(source: string, header: Header): string {
  const raw = FIELDS.map((field) => {
    const index = header.fieldIndex[field];
    return `${index < 0 ? "CAST(NULL AS VARCHAR)" : `nullif(${trimmedSql(column(index))}, '')`} AS raw_${field}`;
  });
  return `(
    SELECT *, ${FIELDS.map((field) => `${TYPING[field].value(`raw_${field}`)} AS ${identifier(field)}`).join(", ")}
    FROM (SELECT *, ${raw.join(", ")} FROM ${source}))`;
}

/** True for a row whose every field is usable. */
const validSql = FIELDS.map((field) =>
  TYPING[field].required ? `${field} IS NOT NULL` : TYPING[field].what ? `(raw_${field} IS NULL OR ${field} IS NOT NULL)` : null
)
  .filter(Boolean)
  .join(" AND ");

/** The reasons a row is not usable, naming each column as the file does. */
function problemsSql(header: Header): string {
  const name = (field: Field) => literal(header.fieldName[field]);
  const problems = FIELDS.flatMap((field) => {
    const {required, what} = TYPING[field];
    const shown = `'''' || raw_${field} || ''''`;
    const invalid = what ? ` WHEN ${field} IS NULL THEN ${name(field)} || ' is not ${what}: ' || ${shown}` : "";
    if (required) return [`CASE WHEN raw_${field} IS NULL THEN ${name(field)} || ' is empty'${invalid} END`];
    return what ? [`CASE WHEN raw_${field} IS NOT NULL AND ${field} IS NULL THEN ${name(field)} || ' is not ${what}: ' || ${shown} END`] : [];
  });
  return `concat_ws('; ', ${problems.join(", ")})`;
}

/**
 * Parsed, typed rows of the staged files (records with a problem left out), in the raw_lines layout.
 * Records the CSV reader rejects are stored in reject tables numbered `group` (see rejectedRecordsSql).
 */
export function typedRowsSql(files: StagedFiles, header: Header, group: number): string {
  return `
    SELECT source_file, source_line, ${FIELDS.map(identifier).join(", ")}
    FROM ${typedSource(stagedSource(files, header, group, true), header)}
    WHERE ${validSql}`;
}

/**
 * Records of the staged files with a value that cannot be typed, in the quarantine layout. This second
 * scan's structural rejects are thrown away: the first scan kept them.
 */
export function valueProblemsSql(files: StagedFiles, header: Header, group: number): string {
  const csvField = (index: number) =>
    `CASE WHEN ${column(index)} IS NULL THEN '' WHEN ${column(index)} LIKE '%,%' OR ${column(index)} LIKE '%"%'
      THEN '"' || replace(${column(index)}, '"', '""') || '"' ELSE ${column(index)} END`;
  return `
    SELECT source_file, source_line, 'value' AS problem, ${problemsSql(header)} AS reason,
      concat_ws(',', ${header.columns.map((_, index) => csvField(index)).join(", ")}) AS raw_text
    FROM ${typedSource(stagedSource(files, header, group, false), header)}
    WHERE NOT (${validSql})`;
}

/**
 * Records DuckDB's CSV reader rejected during the first scan (wrong number of fields, stray quotes), one
 * row per record. Staged records carry one extra leading field (the line number): counts are corrected.
 */
export function rejectedRecordsSql({stagingDir}: StagedFiles, header: Header, group: number): string {
  const fields = `length(regexp_replace(raw_text, '"([^"]|"")*"', '', 'g')) - length(replace(regexp_replace(raw_text, '"([^"]|"")*"', '', 'g'), ',', '')) + 1`;
  return `
  SELECT scans.file_path[length(${literal(stagingDir)}) + 2:-5] AS source_file, rejects.source_line, 'structure' AS problem,
    CASE
      WHEN rejects.error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')
        THEN 'expected ${header.columns.length} fields, found ' || (${fields.replaceAll("raw_text", "rejects.raw_text")})
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
  JOIN staged_reject_scans_${group} AS scans USING (scan_id, file_id)`;
}

/** Drops the reject tables of a previous scan on this connection (DuckDB appends to them otherwise). */
export function dropRejectsSql(group: number): string {
  return `DROP TABLE IF EXISTS staged_rejects_${group}; DROP TABLE IF EXISTS staged_reject_scans_${group};
    DROP TABLE IF EXISTS discarded_rejects_${group}; DROP TABLE IF EXISTS discarded_reject_scans_${group};`;
}

export const RAW_COLUMNS = `source_file VARCHAR, source_line BIGINT, invoice_no VARCHAR, stock_code VARCHAR, description VARCHAR,
  quantity INTEGER, invoice_date TIMESTAMP, unit_price DOUBLE, customer_id INTEGER, country VARCHAR`;
export const QUARANTINE_COLUMNS = "source_file VARCHAR, source_line BIGINT, problem VARCHAR, reason VARCHAR, raw_text VARCHAR";
