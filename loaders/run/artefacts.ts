import {createHash, type Hash} from "node:crypto";
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync} from "node:fs";
import {join} from "node:path";
import {deserialize, serialize} from "node:v8";
import {writeFileAtomic} from "./files.js";

/**
 * Fitted models as plain data (centroids, forests, factors, rules, baselines), stored in the warehouse
 * under a key that names everything the fit depended on: the stage's code version, its options and the
 * exact data it was fitted on. A run whose fit input is unchanged loads the stored artefact instead of
 * fitting again. Artefacts are V8-serialised (typed arrays survive), written atomically, and immutable.
 */
export interface ArtefactRecord {
  model: string;
  key: string;
  /** Relative to the warehouse folder. */
  file: string;
  bytes: number;
  /** The last day of data the fit saw. */
  fittedThrough: string;
  /** The run that fitted it. */
  fittedInRun: string;
}

export const ARTEFACT_DIR = "artefacts";

/**
 * A key for a fit: sha256 over the parts. Typed arrays are hashed by their bytes as they lie in memory (no
 * copy: serialising 40 MB costs a third of a second here), everything else by type and value, objects in
 * their key order; so two inputs get the same key exactly when they hold the same values.
 */
export function artefactKey(...parts: unknown[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hashValue(hash, part);
  return hash.digest("hex").slice(0, 24);
}

function hashValue(hash: Hash, value: unknown): void {
  if (ArrayBuffer.isView(value)) {
    hash.update(`${value.constructor.name}:${value.byteLength}:`).update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (Array.isArray(value)) {
    hash.update(`[${value.length}:`);
    for (const item of value) hashValue(hash, item);
    hash.update("]");
  } else if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof ArrayBuffer) {
    throw new Error(`artefactKey: a fit input holds a ${value.constructor.name}; pass typed arrays, arrays and plain objects`);
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    hash.update(`{${entries.length}:`);
    for (const [key, item] of entries) {
      hash.update(`${JSON.stringify(key)}=`);
      hashValue(hash, item);
    }
    hash.update("}");
  } else {
    // typeof distinguishes 1 from "1"; Object.is keeps -0 and NaN apart from 0 and null.
    hash.update(`${typeof value}:${typeof value === "number" ? (Object.is(value, -0) ? "-0" : String(value)) : (JSON.stringify(value) ?? "undefined")};`);
  }
}

export function artefactFile(model: string, key: string): string {
  return `${ARTEFACT_DIR}/${model}-${key}.v8`;
}

export function readArtefact<T>(warehouseDir: string, file: string): T {
  return deserialize(readFileSync(join(warehouseDir, file))) as T;
}

export function writeArtefact(warehouseDir: string, file: string, value: unknown): number {
  mkdirSync(join(warehouseDir, ARTEFACT_DIR), {recursive: true});
  const bytes = serialize(value);
  writeFileAtomic(join(warehouseDir, file), bytes);
  return bytes.length;
}

export function artefactExists(warehouseDir: string, file: string): boolean {
  return existsSync(join(warehouseDir, file));
}

/** Removes artefact files no record names (fits of windows the data has moved past). */
export function pruneArtefacts(warehouseDir: string, keep: readonly ArtefactRecord[]): void {
  const dir = join(warehouseDir, ARTEFACT_DIR);
  if (!existsSync(dir)) return;
  const kept = new Set(keep.map((record) => record.file));
  for (const name of readdirSync(dir)) {
    const file = `${ARTEFACT_DIR}/${name}`;
    if (!kept.has(file) && statSync(join(dir, name)).isFile()) rmSync(join(dir, name), {force: true});
  }
}
