/**
 * Recognises the header line of an input file and maps its columns to the canonical fields.
 * Accepted: the Online Retail header, the Online Retail II header, and any order or letter case of
 * their column names; extra columns are ignored (and reported).
 */

/** Canonical input fields, in the order raw partitions store them. */
export const FIELDS = ["invoice_no", "stock_code", "description", "quantity", "invoice_date", "unit_price", "customer_id", "country"] as const;
export type Field = (typeof FIELDS)[number];

/** Column names each field is known by, compared after lower-casing and removing non-alphanumerics. */
const ALIASES: Record<Field, string[]> = {
  invoice_no: ["invoiceno", "invoice", "invoicenumber"],
  stock_code: ["stockcode"],
  description: ["description"],
  quantity: ["quantity"],
  invoice_date: ["invoicedate"],
  unit_price: ["unitprice", "price"],
  customer_id: ["customerid"],
  country: ["country"]
};

/** Fields a file must have; the others may be missing (all values then count as empty). */
const REQUIRED: Field[] = ["invoice_no", "stock_code", "quantity", "invoice_date", "unit_price"];

export const ONLINE_RETAIL_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
export const ONLINE_RETAIL_II_HEADER = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country";

export interface Header {
  /** Column names as written in the file. */
  columns: string[];
  /** For each canonical field, the index of its column, or -1 when the file does not have it. */
  fieldIndex: Record<Field, number>;
  /** For each canonical field, the file's own name for it (used in quarantine reasons). */
  fieldName: Record<Field, string>;
  /** `online-retail`, `online-retail-ii`, or `custom` for other orders and spellings. */
  variant: "online-retail" | "online-retail-ii" | "custom";
  /** Columns that map to no field. */
  ignored: string[];
}

/** Thrown with a reason that names what was found and what was expected. */
export class HeaderError extends Error {}

export function parseHeader(line: string): Header {
  const text = line.replace(/^\uFEFF/, "").replace(/\r$/, "");
  if (text.trim() === "") throw new HeaderError("the first line is empty; expected a header line such as " + ONLINE_RETAIL_HEADER);
  if (/[\u0000-\u0008\u000E-\u001F]/.test(text)) {
    throw new HeaderError("the first line contains binary data; this is not a CSV text file");
  }
  const columns = splitCsvLine(text).map((name) => name.trim());
  if (columns.length === 1) {
    const delimiter = [";", "\t", "|"].find((candidate) => text.includes(candidate));
    if (delimiter) {
      const shown = delimiter === "\t" ? "tab" : `'${delimiter}'`;
      throw new HeaderError(`the header is separated by ${shown}, not by commas; save the file as comma-separated CSV (header: ${ONLINE_RETAIL_HEADER})`);
    }
  }
  const normalized = columns.map((name) => name.toLowerCase().replace(/[^a-z0-9]/g, ""));
  const fieldIndex = {} as Record<Field, number>;
  const fieldName = {} as Record<Field, string>;
  for (const field of FIELDS) {
    const index = normalized.findIndex((name) => ALIASES[field].includes(name));
    fieldIndex[field] = index;
    fieldName[field] = index >= 0 ? columns[index] : field;
  }
  const missing = REQUIRED.filter((field) => fieldIndex[field] < 0);
  if (missing.length > 0) {
    const names = missing.map((field) => (ALIASES[field].length > 1 ? `${label(field)} (or ${secondLabel(field)})` : label(field)));
    throw new HeaderError(
      `missing required column${missing.length > 1 ? "s" : ""} ${names.join(", ")}; found ${columns.length} column${columns.length === 1 ? "" : "s"}: ${columns.map((c) => JSON.stringify(c)).join(", ")}. ` +
        `Expected the Online Retail header (${ONLINE_RETAIL_HEADER}) or Online Retail II (${ONLINE_RETAIL_II_HEADER})`
    );
  }
  const duplicated = FIELDS.filter((field) => normalized.filter((name) => ALIASES[field].includes(name)).length > 1);
  if (duplicated.length > 0) {
    throw new HeaderError(`the header names ${duplicated.map(label).join(", ")} more than once: ${text}`);
  }
  const used = new Set(Object.values(fieldIndex));
  const ignored = columns.filter((_, index) => !used.has(index));
  const joined = columns.join(",");
  const variant = joined === ONLINE_RETAIL_HEADER ? "online-retail" : joined === ONLINE_RETAIL_II_HEADER ? "online-retail-ii" : "custom";
  return {columns, fieldIndex, fieldName, variant, ignored};
}

const LABELS: Record<Field, [string, string]> = {
  invoice_no: ["InvoiceNo", "Invoice"],
  stock_code: ["StockCode", "StockCode"],
  description: ["Description", "Description"],
  quantity: ["Quantity", "Quantity"],
  invoice_date: ["InvoiceDate", "InvoiceDate"],
  unit_price: ["UnitPrice", "Price"],
  customer_id: ["CustomerID", "Customer ID"],
  country: ["Country", "Country"]
};
const label = (field: Field) => LABELS[field][0];
const secondLabel = (field: Field) => LABELS[field][1];

/** Splits one CSV line on commas, honouring double-quoted fields with doubled-quote escapes. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ",") {
      fields.push(field);
      field = "";
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}
