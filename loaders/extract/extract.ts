import {isUtf8} from "node:buffer";
import {createReadStream} from "node:fs";
import {open, type FileHandle} from "node:fs/promises";
import {createGunzip} from "node:zlib";
import {InputFileError} from "../errors.js";
import type {RawFile} from "./discover.js";
import {HeaderError, ONLINE_RETAIL_HEADER, parseHeader, splitCsvLine, type Header} from "./header.js";

/**
 * Extract: reads one input file (plain or gzip, detected by its magic bytes), checks that it is complete
 * and valid UTF-8, and writes a staged copy in which every record is prefixed with the physical line
 * number it starts on. DuckDB then parses the staged copy in parallel and every row keeps its lineage.
 *
 * Records that cannot be handed to DuckDB (invalid UTF-8, an unterminated quoted field) are returned as
 * issues, to be quarantined; blank lines are counted, not staged. Problems with the file as a whole
 * (unreadable, empty, truncated or corrupt gzip, binary, unusable header) throw an InputFileError.
 */

/** A record kept out of the staged copy, with where it was and why. */
export interface ExtractIssue {
  line: number;
  reason: string;
  /** The record's text (invalid bytes decoded as Latin-1 so nothing is lost). */
  text: string;
}

export interface ExtractResult {
  header: Header;
  /** Records after the header, blank lines excluded, including those returned as issues. */
  records: number;
  blankLines: number;
  issues: ExtractIssue[];
  compressed: boolean;
  /** Bytes after decompression. */
  textBytes: number;
}

/** A quoted field may span lines, but one still open after this many lines is taken as unterminated. */
export const MAX_RECORD_LINES = 100;

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const CR = 0x0d;

export async function extractFile(file: Pick<RawFile, "path" | "absolutePath">, stagedPath: string): Promise<ExtractResult> {
  const fail = (reason: string) => new InputFileError(file.path, reason);
  let magic: Buffer;
  try {
    magic = await readPrefix(file.absolutePath, 2);
  } catch (error) {
    throw fail(`cannot be read (${(error as Error).message})`);
  }
  const compressed = magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  const output = await open(stagedPath, "w");
  const stager = new Stager(output);
  try {
    const source = createReadStream(file.absolutePath, {highWaterMark: 1 << 16});
    const stream = compressed ? source.pipe(createGunzip({chunkSize: 1 << 16})) : source;
    if (compressed) source.on("error", (error) => stream.destroy(error));
    try {
      for await (const chunk of stream) await stager.push(chunk as Buffer);
    } catch (error) {
      if (error instanceof HeaderError) throw error;
      throw fail(describeReadError(error as NodeJS.ErrnoException, compressed));
    }
    await stager.end();
  } catch (error) {
    if (error instanceof HeaderError) throw fail(error.message);
    throw error;
  } finally {
    await output.close();
  }
  if (!stager.header) {
    throw fail(
      stager.textBytes === 0 ? `the file is empty${compressed ? " after decompression" : ""} (0 bytes); expected a header line` : "no header line found"
    );
  }
  return {
    header: stager.header,
    records: stager.records,
    blankLines: stager.blankLines,
    issues: stager.issues,
    compressed,
    textBytes: stager.textBytes
  };
}

function describeReadError(error: NodeJS.ErrnoException, compressed: boolean): string {
  if (compressed && error.code === "Z_BUF_ERROR") {
    return "the gzip stream is truncated (the file ends before the compressed data does); the copy is incomplete, copy it again from its source";
  }
  if (compressed && error.code?.startsWith("Z_")) {
    return `corrupt gzip data (${error.message}); copy the file again from its source`;
  }
  return `cannot be read (${error.message})`;
}

async function readPrefix(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const {bytesRead} = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

interface Segment {
  bytes: Buffer;
  line: number;
}

/** Splits decompressed text into records and writes them, line-numbered, to the staged file. */
class Stager {
  header: Header | undefined;
  records = 0;
  blankLines = 0;
  textBytes = 0;
  readonly issues: ExtractIssue[] = [];
  private line = 0;
  private carry: Buffer | undefined;
  private open: Segment[] | undefined;
  private openQuotes = 0;
  private readonly out = new ByteWriter();

  constructor(private readonly file: FileHandle) {}

  async push(chunk: Buffer): Promise<void> {
    this.textBytes += chunk.length;
    let from = 0;
    if (this.carry) {
      // Only the line the previous chunk left open is joined (copied); the rest is read in place.
      const first = chunk.indexOf(NEWLINE);
      if (first < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      this.processLines(Buffer.concat([this.carry, chunk.subarray(0, first + 1)]));
      this.carry = undefined;
      from = first + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= from) this.processLines(chunk.subarray(from, last + 1));
    const rest = Math.max(from, last + 1);
    if (rest < chunk.length) this.carry = chunk.subarray(rest);
    await this.flush();
  }

  async end(): Promise<void> {
    if (this.carry && this.carry.length > 0) {
      const tail = Buffer.concat([this.carry, Buffer.from([NEWLINE])]);
      this.carry = undefined;
      this.processLines(tail);
    }
    if (this.open) this.abandonOpenRecord("the file ends");
    await this.flush();
  }

  /** `region` holds whole lines, each ending in a newline. */
  private processLines(region: Buffer): void {
    const valid = isUtf8(region);
    let quote = region.indexOf(QUOTE);
    let start = 0;
    while (start < region.length) {
      const newline = region.indexOf(NEWLINE, start);
      let end = newline;
      if (end > start && region[end - 1] === CR) end--;
      let quotes = 0;
      while (quote >= 0 && quote < newline) {
        quotes++;
        quote = region.indexOf(QUOTE, quote + 1);
      }
      this.line++;
      if (valid && this.header && !this.open && end > start && quotes % 2 === 0) {
        // The common case, what processLine would do for it without allocating a segment per line.
        this.records++;
        this.out.numberedLine(this.line, region, start, end);
      } else {
        this.processLine({bytes: region.subarray(start, end), line: this.line}, quotes, valid);
      }
      start = newline + 1;
    }
  }

  private processLine(segment: Segment, quotes: number, knownValid: boolean): void {
    if (!this.header) {
      this.readHeader(segment.bytes);
      return;
    }
    if (this.open) {
      this.open.push(segment);
      this.openQuotes += quotes;
      if (this.openQuotes % 2 === 0) {
        const segments = this.open;
        this.open = undefined;
        this.emit(segments, false);
      } else if (this.open.length >= MAX_RECORD_LINES) {
        this.abandonOpenRecord(`${MAX_RECORD_LINES} lines pass`);
      }
      return;
    }
    if (segment.bytes.length === 0) {
      this.blankLines++;
      return;
    }
    if (quotes % 2 === 1) {
      this.open = [segment];
      this.openQuotes = quotes;
      return;
    }
    this.emit([segment], knownValid);
  }

  private readHeader(bytes: Buffer): void {
    if (bytes.length === 0 && this.line === 1 && this.textBytes <= 2) return; // empty file: reported by the caller
    if (!isUtf8(bytes)) throw new HeaderError("the first line is not UTF-8 text; this is not a CSV text file (or it is not saved as UTF-8)");
    const text = bytes.toString("utf8");
    try {
      this.header = parseHeader(text);
    } catch (error) {
      const recognised = splitCsvLine(text).some((name) => /invoice|stock|quantity|price|customer|country|description/i.test(name));
      if (error instanceof HeaderError && !recognised && /\d/.test(text)) {
        throw new HeaderError(
          `the first line looks like a data row, not a header: ${JSON.stringify(text.slice(0, 120))}; add the header line ${ONLINE_RETAIL_HEADER}`
        );
      }
      throw error;
    }
    this.out.write(`source_line,${text.replace(/^\uFEFF/, "")}\n`);
  }

  /** Writes one record (one or more physical lines) with its starting line number. */
  private emit(segments: Segment[], knownValid: boolean): void {
    this.records++;
    const line = segments[0].line;
    if (!knownValid) {
      for (const segment of segments) {
        const bad = firstInvalidUtf8(segment.bytes);
        if (bad >= 0) {
          const text = segments.map((s) => s.bytes.toString("latin1")).join("\n");
          const byte = segment.bytes[bad].toString(16).toUpperCase().padStart(2, "0");
          this.issues.push({
            line,
            reason: `invalid UTF-8: byte 0x${byte} at position ${bad + 1} of line ${segment.line}; the file may be Latin-1 or Windows-1252 encoded, save it as UTF-8`,
            text
          });
          return;
        }
      }
    }
    this.out.write(`${line},`);
    for (let i = 0; i < segments.length; i++) {
      if (i > 0) this.out.byte(NEWLINE);
      this.out.bytes(segments[i].bytes);
    }
    this.out.byte(NEWLINE);
  }

  /** A quoted field never closed: quarantine its first line and read the following lines afresh. */
  private abandonOpenRecord(when: string): void {
    const segments = this.open!;
    this.open = undefined;
    const [first, ...rest] = segments;
    this.records++;
    this.issues.push({
      line: first.line,
      reason: `unterminated quoted field: the quote opened on line ${first.line} is still open when ${when}`,
      text: first.bytes.toString(isUtf8(first.bytes) ? "utf8" : "latin1")
    });
    for (const segment of rest) this.processLine(segment, countQuotes(segment.bytes), false);
  }

  private async flush(): Promise<void> {
    const pending = this.out.pending();
    if (pending.length > 0) await this.file.write(pending);
    this.out.clear();
  }
}

function countQuotes(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(QUOTE); i >= 0; i = bytes.indexOf(QUOTE, i + 1)) count++;
  return count;
}

/** Index of the first byte that breaks UTF-8 validity, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    const length = byte < 0x80 ? 1 : (byte & 0xe0) === 0xc0 ? 2 : (byte & 0xf0) === 0xe0 ? 3 : (byte & 0xf8) === 0xf0 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1 && !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return -1;
}

/** A growable byte buffer. */
class ByteWriter {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private length = 0;

  write(text: string): void {
    this.ensure(text.length * 3);
    this.length += this.buffer.write(text, this.length, "utf8");
  }

  bytes(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  /** `<line>,<source[start, end)>\n`. */
  numberedLine(line: number, source: Buffer, start: number, end: number): void {
    this.ensure(end - start + 18);
    let digits = 1;
    for (let rest = line; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.length + digits;
    for (let rest = line; at > this.length; rest = Math.floor(rest / 10)) this.buffer[--at] = 0x30 + (rest % 10);
    this.length += digits;
    this.buffer[this.length++] = 0x2c;
    this.length += source.copy(this.buffer, this.length, start, end);
    this.buffer[this.length++] = NEWLINE;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  /** The bytes written since the last clear (a view: valid until the next write). */
  pending(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}
