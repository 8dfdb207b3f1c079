import type {DuckDBInstance} from "@duckdb/node-api";
import {mkdirSync, rmSync, statSync} from "node:fs";
import {dirname, join} from "node:path";
import {browserForm, isSnapshotName} from "../schema/index.js";
import {packOrPatch, type PackResult, type PatchLimits} from "./patch-packed.js";
import {packedBase, readRecords, servesContent, sitePath, temporaryPath, type PublishedRecord} from "./publish.js";

/** Line tables whose Parquet file is larger are packed when publishing, not beside the later stages. */
export const EARLY_PACK_MAX_BYTES = 128 * 1024 * 1024;

/** A line table packed for the site ahead of publishing: its content hash, where the packed file waits, how it was packed. */
export interface EarlyPack {
  sha256: string;
  temporary: string;
  result: PackResult;
}

/**
 * Packs the site's line tables (the `packed` browser form) as soon as their stage has written them, one at
 * a time on the run's DuckDB, while the later stages run: packing `sales` and `raw_lines` is most of what
 * publishing costs, and the model stages leave a core idle part of the time. The packed files wait beside
 * their targets; publishSite moves them into place only if the run succeeds (and packs anything not ready
 * itself), so a failed run still changes nothing the site serves. A pack that fails here is simply left to
 * publishSite, which reports the error if it is real. Where the site serves the previous snapshot's packed
 * copy, that copy is patched rather than packed again (patch-packed.ts): a new daily file changes a day's rows.
 */
export class EarlyPacker {
  private readonly packs = new Map<string, EarlyPack>();
  private readonly failures = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  /** The site's records, read when the first line table is offered (a run that writes none never reads them). */
  private published: Record<string, PublishedRecord> | null = null;

  constructor(
    private readonly siteRoot: string,
    private readonly database: () => Promise<DuckDBInstance>,
    {maxBytes = EARLY_PACK_MAX_BYTES, patchLimits = {}}: {maxBytes?: number; patchLimits?: PatchLimits} = {}
  ) {
    this.maxBytes = maxBytes;
    this.patchLimits = patchLimits;
  }

  /** Larger Parquet files wait for publishing (default EARLY_PACK_MAX_BYTES). */
  private readonly maxBytes: number;
  /** When a pack patches the site's previous copy (patch-packed.ts). */
  private readonly patchLimits: PatchLimits;

  /** Starts packing snapshot `name` (content `sha256`, Parquet at `parquet`) unless the site already serves that content. */
  offer(name: string, sha256: string, parquet: string): void {
    if (!isSnapshotName(name) || browserForm(name) !== "packed") return;
    // A large table waits for publishing, when the stages are done: its sort would share the run's memory
    // limit with them (at 100× the data, packing `sales` beside quality and recommendations ran the
    // instance out of memory).
    if (statSync(parquet).size > this.maxBytes) return;
    this.published ??= readRecords(join(this.siteRoot, "data"));
    if (servesContent(this.siteRoot, this.published, name, sha256)) return;
    const temporary = temporaryPath(join(this.siteRoot, sitePath(name)));
    this.queue = this.queue.then(async () => {
      try {
        rmSync(temporary, {force: true});
        // A new site has no data/packed/ yet (publishSite makes it later): without it every early pack of a
        // first run failed, and all of them were done again when publishing (17–27 s at 10× the data).
        mkdirSync(dirname(temporary), {recursive: true});
        const base = packedBase(this.siteRoot, this.published!, name);
        const result = await packOrPatch(await this.database(), {table: name, parquet, target: temporary, base}, this.patchLimits);
        this.packs.set(name, {sha256, temporary, result});
      } catch (error) {
        // Publishing packs it again (reporting the error if it is real); the run's summary says why it had to.
        this.failures.set(name, error instanceof Error ? error.message : String(error));
        rmSync(temporary, {force: true});
      }
    });
  }

  /** The packs, once every one offered so far has finished. */
  async ready(): Promise<ReadonlyMap<string, EarlyPack>> {
    await this.queue;
    return this.packs;
  }

  /** Why packing failed, by snapshot name, for the tables whose early pack failed (once `ready`). */
  failed(): ReadonlyMap<string, string> {
    return this.failures;
  }

  /** Waits for packing to stop and removes the packed files (a failed run). */
  async discard(): Promise<void> {
    await this.queue;
    for (const {temporary} of this.packs.values()) rmSync(temporary, {force: true});
    this.packs.clear();
  }
}
