import {createHash} from "node:crypto";
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

/** A key for a fit: sha256 over the parts, each serialised with V8 (so typed arrays hash by content). */
export function artefactKey(...parts: unknown[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    const bytes = serialize(part);
    hash.update(String(bytes.length)).update("\0").update(bytes);
  }
  return hash.digest("hex").slice(0, 24);
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
