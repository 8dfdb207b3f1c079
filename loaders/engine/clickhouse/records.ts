import {createReadStream} from "node:fs";

/**
 * Reads a staged file (`source_line,<fields>` per record, records possibly spanning lines inside quotes)
 * and splits each record into fields, RFC 4180 style, with the same strictness as DuckDB's CSV reader:
 * a wrong number of fields or a stray quote makes the record a structural problem, never a silent guess.
 */

export type StagedRecord = {line: number; fields: string[]; text: string} | {line: number; problem: "structure"; reason: string; text: string};

export async function* readStagedRecords(path: string, fieldCount: number): AsyncGenerator<StagedRecord> {
  let buffer = "";
  let header = true;
  for await (const chunk of createReadStream(path, {encoding: "utf8", highWaterMark: 1 << 20})) {
    buffer += chunk;
    let start = 0;
    for (;;) {
      const end = recordEnd(buffer, start);
      if (end < 0) break;
      const record = buffer.slice(start, end);
      start = end + 1;
      if (header) {
        header = false;
        continue;
      }
      yield parseRecord(record, fieldCount);
    }
    buffer = buffer.slice(start);
  }
  if (buffer.length > 0 && !header) yield parseRecord(buffer, fieldCount);
}

/** Index of the newline ending the record that starts at `start` (outside quotes), or -1. */
function recordEnd(text: string, start: number): number {
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 34) quoted = !quoted;
    else if (char === 10 && !quoted) return i;
  }
  return -1;
}

function parseRecord(record: string, fieldCount: number): StagedRecord {
  const comma = record.indexOf(",");
  const line = Number(record.slice(0, comma));
  const text = record.slice(comma + 1);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let value = "";
      let j = i + 1;
      for (;;) {
        const quote = text.indexOf('"', j);
        if (quote < 0) return {line, problem: "structure", reason: BAD_QUOTES, text};
        value += text.slice(j, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          value += '"';
          j = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      fields.push(value);
      if (i < text.length && text.charCodeAt(i) !== 44) return {line, problem: "structure", reason: BAD_QUOTES, text};
    } else {
      let j = text.indexOf(",", i);
      if (j < 0) j = text.length;
      const value = text.slice(i, j);
      if (value.includes('"')) return {line, problem: "structure", reason: BAD_QUOTES, text};
      fields.push(value);
      i = j;
    }
    if (i >= text.length) break;
    i++; // the comma
    if (i === text.length) {
      fields.push("");
      break;
    }
  }
  if (fields.length !== fieldCount) return {line, problem: "structure", reason: `expected ${fieldCount} fields, found ${fields.length}`, text};
  return {line, fields, text};
}

const BAD_QUOTES = "badly quoted field: a quote inside an unquoted field, or text after a closing quote";

/** A record's fields joined back into CSV text (as the DuckDB engine reports unusable values). */
export function joinCsv(fields: readonly string[]): string {
  return fields.map((field) => (field.includes(",") || field.includes('"') ? `"${field.replaceAll('"', '""')}"` : field)).join(",");
}
