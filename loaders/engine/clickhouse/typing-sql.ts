/**
 * Typing staged strings in ClickHouse SQL, with the DuckDB engine's rules and messages: whole numbers as
 * digits (an optional zero fraction allowed), prices as plain decimals, dates as YYYY-MM-DD HH:MM[:SS] or
 * M/D/YYYY H:MM[:SS]. ClickHouse 18.16 parses impossible dates into other dates without complaint, so a
 * date is valid only if it prints back as the text it was read from; and its float-to-decimal conversion
 * truncates (2.51 becomes 2.5099), so prices are parsed from their digits, rounded half away from zero.
 */

const pad2 = (part: string) => `if(length(${part}) = 1, concat('0', ${part}), ${part})`;

/** Columns computed over `staging`: the typed value of every field (NULL where it does not parse). */
export const TYPED_COLUMNS = `
  if(match(raw_quantity, '^-?[0-9]+(\\\\.0+)?$'), toInt64OrNull(extract(assumeNotNull(raw_quantity), '^(-?[0-9]+)')), NULL) AS quantity64,
  if(quantity64 >= -2147483648 AND quantity64 <= 2147483647, toInt32(assumeNotNull(quantity64)), NULL) AS quantity_value,
  multiIf(
    match(raw_invoice_date, '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?$'), raw_invoice_date,
    match(raw_invoice_date, '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?$'),
      replaceRegexpOne(assumeNotNull(raw_invoice_date), '^([0-9]+)/([0-9]+)/([0-9]+) ', '\\\\3-\\\\1-\\\\2 '),
    NULL) AS date_iso,
  extractAll(ifNull(date_iso, ''), '[0-9]+') AS date_parts,
  if(date_iso IS NULL, NULL, concat(date_parts[1], '-', ${pad2("date_parts[2]")}, '-', ${pad2("date_parts[3]")}, ' ',
    ${pad2("date_parts[4]")}, ':', ${pad2("date_parts[5]")}, ':', if(length(date_parts) >= 6, ${pad2("date_parts[6]")}, '00'))) AS date_text,
  if(date_text IS NULL, NULL, toDateTime(assumeNotNull(date_text), 'UTC')) AS date_parsed,
  if(date_parsed IS NOT NULL AND formatDateTime(assumeNotNull(date_parsed), '%Y-%m-%d %H:%M:%S') = date_text, date_parsed, NULL) AS date_value,
  if(match(raw_unit_price, '^-?([0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)$'), assumeNotNull(raw_unit_price), NULL) AS price_text,
  extract(ifNull(price_text, ''), '^-?([0-9]*)') AS price_whole,
  extract(ifNull(price_text, ''), '\\\\.([0-9]*)$') AS price_fraction,
  if(price_text IS NULL, NULL,
    (toDecimal64(concat(if(price_whole = '', '0', price_whole), '.', substring(concat(price_fraction, '0000'), 1, 4)), 4)
      + if(length(price_fraction) > 4 AND substring(price_fraction, 5, 1) >= '5', toDecimal64('0.0001', 4), toDecimal64('0', 4)))
    * if(startsWith(price_text, '-'), -1, 1)) AS price_value,
  if(match(raw_customer_id, '^[0-9]+(\\\\.0+)?$'), toInt64OrNull(extract(assumeNotNull(raw_customer_id), '^([0-9]+)')), NULL) AS customer64,
  if(customer64 <= 2147483647, toInt32(assumeNotNull(customer64)), NULL) AS customer_value`;

/** True for a staged row whose every field is usable. */
export const VALID = `(raw_invoice_no IS NOT NULL AND raw_stock_code IS NOT NULL AND quantity_value IS NOT NULL
  AND date_value IS NOT NULL AND price_value IS NOT NULL AND (raw_customer_id IS NULL OR customer_value IS NOT NULL))`;

const shown = (raw: string) => `concat('''', ifNull(${raw}, ''), '''')`;

/** Why a staged row is not usable, naming each column as its file does (from `staging_names`). */
export const PROBLEMS = `arrayStringConcat(arrayFilter(problem -> problem != '', [
  if(raw_invoice_no IS NULL, concat(name_invoice_no, ' is empty'), ''),
  if(raw_stock_code IS NULL, concat(name_stock_code, ' is empty'), ''),
  multiIf(raw_quantity IS NULL, concat(name_quantity, ' is empty'),
    quantity_value IS NULL, concat(name_quantity, ' is not a whole number: ', ${shown("raw_quantity")}), ''),
  multiIf(raw_invoice_date IS NULL, concat(name_invoice_date, ' is empty'),
    date_value IS NULL, concat(name_invoice_date, ' is not a valid date in YYYY-MM-DD HH:MM:SS or M/D/YYYY H:MM form: ', ${shown("raw_invoice_date")}), ''),
  multiIf(raw_unit_price IS NULL, concat(name_unit_price, ' is empty'),
    price_value IS NULL, concat(name_unit_price, ' is not a number: ', ${shown("raw_unit_price")}), ''),
  if(raw_customer_id IS NOT NULL AND customer_value IS NULL, concat(name_customer_id, ' is not a whole number: ', ${shown("raw_customer_id")}), '')
]), '; ')`;

/** Typed rows of `staging`, with the names its files give their columns. */
export function typedStagingSql(db: string): string {
  return `(SELECT *, ${TYPED_COLUMNS} FROM ${db}.staging ANY LEFT JOIN ${db}.staging_names USING (file_hash))`;
}
