import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {copyFileSync, rmSync, statSync} from "node:fs";
import {identifier, literal, queryRow, queryRows} from "../db.js";
import {nextAttachment, packedOrder, packSnapshot, withoutFsst} from "./packed.js";

/**
 * A patch changes at most this share of the new snapshot's rows; beyond it a fresh pack costs about as much
 * and leaves no free blocks behind.
 */
export const MAX_PATCH_SHARE = 0.2;

/**
 * A patched file may be at most this many times the size a fresh pack of as many rows took (DuckDB rewrites
 * the row groups an update touches into new blocks and keeps the old ones as free space): past it, the
 * table is packed afresh. Range reads never fetch free blocks; a full download (a server without Range) does.
 */
export const MAX_PATCHED_GROWTH = 1.5;

/**
 * Only a packed file at least this large is patched: packing a smaller one afresh takes tens of
 * milliseconds, no longer than pairing its rows.
 */
export const MIN_PATCH_BYTES = 4 * 1024 * 1024;

/**
 * Only a snapshot whose Parquet file is at most this large is patched: pairing the rows holds both sides'
 * columns in a hash join (at 100× the data, `sales` would spill gigabytes under the run's memory limit).
 * Larger tables are packed afresh when publishing, with every core (publish.ts).
 */
export const MAX_PATCH_PARQUET_BYTES = 128 * 1024 * 1024;

/** When a packed copy is patched rather than packed afresh; each defaults to the constant named. */
export interface PatchLimits {
  /** Smallest packed file worth patching, in bytes (MIN_PATCH_BYTES). */
  minBytes?: number;
  /** Largest snapshot Parquet file patched, in bytes (MAX_PATCH_PARQUET_BYTES). */
  maxParquetBytes?: number;
  /** Largest share of the new snapshot's rows a patch inserts, updates or deletes (MAX_PATCH_SHARE). */
  maxShare?: number;
  /** Largest size of a patched file, as a multiple of a fresh pack's (MAX_PATCHED_GROWTH). */
  maxGrowth?: number;
}

/** How a packed file came about: its rows, and the bytes per row of the fresh pack its patches started from. */
export interface PackedStats {
  rows: number;
  freshBytesPerRow: number;
}

/** How a patch paired the stored rows with the snapshot's: each with the one in its place, or by key (see changesByPosition). */
export type PairedBy = "position" | "key";

export type PatchOutcome =
  {patched: true; inserted: number; updated: number; deleted: number; pairedBy: PairedBy; stats: PackedStats} | {patched: false; reason: string};

/** A packed file just written: how it came about, and whether it was patched (with what) or packed afresh. */
export interface PackResult {
  stats: PackedStats;
  /** The rows a patch changed, and how it paired them; absent when the table was packed afresh. */
  patched?: {inserted: number; updated: number; deleted: number; pairedBy: PairedBy};
  /** Why a patch was tried and refused (the table was packed afresh). */
  refused?: string;
}

/**
 * Writes the packed copy of snapshot `table` to `target`: by patching `base` (the site's packed copy of the
 * previous snapshot, when there is one and the sizes make it worth it, see patchPacked), or else afresh.
 */
export async function packOrPatch(
  instance: DuckDBInstance,
  {table, parquet, target, base}: {table: string; parquet: string; target: string; base?: {file: string; stats: PackedStats}},
  limits: PatchLimits = {}
): Promise<PackResult> {
  const {minBytes = MIN_PATCH_BYTES, maxParquetBytes = MAX_PATCH_PARQUET_BYTES} = limits;
  let refused: string | undefined;
  if (base && statSync(base.file).size >= minBytes && statSync(parquet).size <= maxParquetBytes) {
    const outcome = await patchPacked(instance, {table, base: base.file, baseStats: base.stats, parquet, target}, limits);
    if (outcome.patched) {
      const {inserted, updated, deleted, pairedBy, stats} = outcome;
      return {stats, patched: {inserted, updated, deleted, pairedBy}};
    }
    refused = outcome.reason;
  }
  const {rows} = await packSnapshot(parquet, target, table, instance);
  const stats = {rows, freshBytesPerRow: statSync(target).size / Math.max(rows, 1)};
  return refused === undefined ? {stats} : {stats, refused};
}

/**
 * Brings a packed table up to date with its new snapshot by changing only the rows that differ, instead of
 * packing all of them again: a new daily file adds a day of line items at the end of `sales` and
 * `raw_lines`, and matches a few returns to older purchases. `base` (the packed copy of the previous
 * snapshot, `baseStats` how it came about) is copied to `target` and patched there; the result holds the
 * snapshot's rows in its packed order, as a fresh pack would.
 *
 * The packed order is the table's key (line items by file and line, invoices by number, recommendations by
 * customer, mode and rank): rows are paired by it, the changed ones updated in place (keeping their place),
 * the gone ones deleted and the new ones appended — which keeps the order only if every new row sorts after
 * the stored ones. When that, or anything else a patch needs, does not hold, nothing is left at `target`
 * and the outcome says why; the caller packs afresh.
 */
export async function patchPacked(instance: DuckDBInstance, patch: PatchSpec, limits: PatchLimits = {}): Promise<PatchOutcome> {
  const key = packedOrder(patch.table);
  if (key.length === 0) return {patched: false, reason: "the table has no packed order to pair rows by"};
  copyFileSync(patch.base, patch.target);
  let outcome: PatchOutcome;
  try {
    outcome = await patchFile(instance, patch, key, limits);
  } catch (error) {
    outcome = {patched: false, reason: error instanceof Error ? error.message : String(error)};
  }
  if (!outcome.patched) rmSync(patch.target, {force: true});
  return outcome;
}

export interface PatchSpec {
  /** The snapshot's name, which is the packed table's. */
  table: string;
  /** The packed copy of the previous snapshot; left as it is. */
  base: string;
  /** How `base` came about (from the site's records). */
  baseStats: PackedStats;
  /** The new snapshot's Parquet file. */
  parquet: string;
  /** Where the patched copy is written. */
  target: string;
}

async function patchFile(
  instance: DuckDBInstance,
  {table, baseStats, parquet, target}: PatchSpec,
  key: readonly string[],
  {maxShare = MAX_PATCH_SHARE, maxGrowth = MAX_PATCHED_GROWTH}: PatchLimits
): Promise<PatchOutcome> {
  const connection = await instance.connect();
  const alias = nextAttachment();
  try {
    await withoutFsst(connection);
    await connection.run(`ATTACH ${literal(target)} AS ${alias}`);
    let changes: AttachedOutcome;
    try {
      changes = await patchAttached(connection, alias, table, `read_parquet(${literal(parquet)})`, key, maxShare);
    } finally {
      await connection.run(`DETACH ${alias}`);
    }
    if (!changes.patched) return changes;
    const growth = statSync(target).size / (Math.max(changes.rows, 1) * baseStats.freshBytesPerRow);
    if (growth > maxGrowth) return {patched: false, reason: `patched, it would be ${growth.toFixed(2)} times the size of a fresh pack (at most ${maxGrowth})`};
    const {inserted, updated, deleted, pairedBy, rows} = changes;
    return {patched: true, inserted, updated, deleted, pairedBy, stats: {rows, freshBytesPerRow: baseStats.freshBytesPerRow}};
  } finally {
    connection.closeSync();
  }
}

type AttachedOutcome = {patched: true; inserted: number; updated: number; deleted: number; pairedBy: PairedBy; rows: number} | {patched: false; reason: string};

async function patchAttached(
  connection: DuckDBConnection,
  database: string,
  table: string,
  snapshot: string,
  key: readonly string[],
  maxShare: number
): Promise<AttachedOutcome> {
  const stored = `${database}.${identifier(table)}`;
  const describe = async (relation: string) => queryRows<{column_name: string; column_type: string}>(connection, `DESCRIBE SELECT * FROM ${relation}`);
  const [storedColumns, snapshotColumns] = [await describe(stored), await describe(snapshot)];
  const list = (columns: {column_name: string; column_type: string}[]) => columns.map((column) => `${column.column_name} ${column.column_type}`).join(", ");
  if (list(storedColumns) !== list(snapshotColumns)) return {patched: false, reason: `its columns changed (${list(storedColumns)} → ${list(snapshotColumns)})`};

  const names = snapshotColumns.map((column) => column.column_name);
  const rest = names.filter((name) => !key.includes(name));
  const pairedBy: PairedBy = (await changesByPosition(connection, stored, snapshot, key, rest)) ? "position" : "key";
  if (pairedBy === "key") await changesByKey(connection, stored, snapshot, key, rest);
  const keyList = `(${key.map(identifier).join(", ")})`;
  const counts = await queryRow<{
    inserted: number;
    updated: number;
    deleted: number;
    unkeyed: number;
    pairedKeys: number;
    rows: number;
    inOrder: boolean | null;
  }>(
    connection,
    `SELECT count(*) FILTER (WHERE __change = 'insert')::BIGINT AS inserted, count(*) FILTER (WHERE __change = 'update')::BIGINT AS updated,
       count(*) FILTER (WHERE __change = 'delete')::BIGINT AS deleted,
       count(DISTINCT ${keyList}) FILTER (WHERE __change = 'update')::BIGINT AS "pairedKeys",
       count(*) FILTER (WHERE ${key.map((column) => `${identifier(column)} IS NULL`).join(" OR ")})::BIGINT AS unkeyed,
       (SELECT count(*) FROM ${snapshot})::BIGINT AS rows,
       (SELECT ${keyList} FROM packed_changes WHERE __change = 'insert' ORDER BY ${key.map(identifier).join(", ")} LIMIT 1)
         > (SELECT ${keyList} FROM ${stored} ORDER BY ${key.map((column) => `${identifier(column)} DESC`).join(", ")} LIMIT 1) AS "inOrder"
     FROM packed_changes`
  );
  const {inserted, updated, deleted, rows} = counts;
  if (counts.unkeyed > 0)
    return {patched: false, reason: `${counts.unkeyed} changed ${counts.unkeyed === 1 ? "row has" : "rows have"} a NULL in ${key.join(", ")}`};
  if (counts.pairedKeys !== updated) return {patched: false, reason: `${key.join(", ")} is not a key: rows that share it changed`};
  if (inserted + updated + deleted > maxShare * rows)
    return {patched: false, reason: `${inserted + updated + deleted} of ${rows} rows changed (a patch changes at most ${maxShare * 100}%)`};
  if (inserted > 0 && counts.inOrder === false) return {patched: false, reason: `new rows sort before stored ones by ${key.join(", ")}`};

  const match = (alias: string) => key.map((column) => `${identifier(table)}.${identifier(column)} = ${alias}.${identifier(column)}`).join(" AND ");
  await connection.run("BEGIN TRANSACTION");
  try {
    if (deleted > 0) await connection.run(`DELETE FROM ${stored} USING (FROM packed_changes WHERE __change = 'delete') AS gone WHERE ${match("gone")}`);
    if (updated > 0 && rest.length > 0)
      await connection.run(
        `UPDATE ${stored} SET ${rest.map((column) => `${identifier(column)} = changed.${identifier(column)}`).join(", ")}
         FROM (FROM packed_changes WHERE __change = 'update') AS changed WHERE ${match("changed")}`
      );
    if (inserted > 0)
      await connection.run(
        `INSERT INTO ${stored} BY NAME SELECT * EXCLUDE (__change) FROM packed_changes WHERE __change = 'insert' ORDER BY ${key.map(identifier).join(", ")}`
      );
    // A key shared by rows that did not change pairs them many to many all the same; the row count tells.
    const {stored: storedRows} = await queryRow<{stored: number}>(connection, `SELECT count(*)::BIGINT AS stored FROM ${stored}`);
    if (storedRows !== rows) {
      await connection.run("ROLLBACK");
      return {patched: false, reason: `${key.join(", ")} is not a key: the patch left ${storedRows} rows for the snapshot's ${rows}`};
    }
    await connection.run("COMMIT");
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await connection.run("DROP TABLE IF EXISTS packed_changes");
  }
  return {patched: true, inserted, updated, deleted, pairedBy, rows};
}

/** The columns of a change row: its key (new, or old for a deleted row), then the new values of the rest. */
function changeColumns(key: readonly string[], rest: readonly string[]): string {
  return (
    `CASE WHEN old.__stored IS NULL THEN 'insert' WHEN new.__new IS NULL THEN 'delete' ELSE 'update' END AS __change, ` +
    key.map((column) => `coalesce(new.${identifier(column)}, old.${identifier(column)}) AS ${identifier(column)}`).join(", ") +
    rest.map((column) => `, new.${identifier(column)}`).join("")
  );
}

const distinct = (columns: readonly string[]) => columns.map((column) => `old.${identifier(column)} IS DISTINCT FROM new.${identifier(column)}`);

/**
 * `packed_changes` (insert, update or delete, with the key and the new values) by pairing every stored row
 * with the snapshot's row in the same place, without a join: the common case, where the snapshot holds the
 * stored rows in the same order, some of them changed, and new rows after them (the Parquet files keep the
 * packed order of line items). Pairs rows only where that is what pairing by key would do: every place
 * both sides have holds the same key, the changed rows' keys are not NULL and each is one stored row's,
 * and the new rows sort after the stored ones; otherwise it leaves nothing and says false, and the rows
 * are paired by key (changesByKey), which also says why a patch cannot be made.
 */
async function changesByPosition(
  connection: DuckDBConnection,
  stored: string,
  snapshot: string,
  key: readonly string[],
  rest: readonly string[]
): Promise<boolean> {
  const keyList = (prefix = "") => `(${key.map((column) => prefix + identifier(column)).join(", ")})`;
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE packed_changes AS
    SELECT ${changeColumns(key, rest)}, old.__stored AND new.__new AND ${keyList("old.")} IS DISTINCT FROM ${keyList("new.")} AS __moved
    FROM (SELECT *, true AS __stored FROM ${stored}) AS old
    POSITIONAL JOIN (SELECT *, true AS __new FROM ${snapshot}) AS new
    WHERE old.__stored IS NULL OR new.__new IS NULL OR ${[...distinct(key), ...distinct(rest)].join(" OR ")}`);
  const {paired} = await queryRow<{paired: boolean}>(
    connection,
    `WITH updated AS (SELECT ${keyList()} AS k FROM packed_changes WHERE __change = 'update'),
       inserted AS (SELECT ${keyList()} AS k FROM packed_changes WHERE __change = 'insert')
     SELECT NOT EXISTS (FROM packed_changes WHERE __moved OR ${key.map((column) => `${identifier(column)} IS NULL`).join(" OR ")})
       AND (SELECT count(DISTINCT k) = count(*) FROM updated)
       AND (SELECT count(*) FROM ${stored} WHERE ${keyList()} IN (SELECT k FROM updated)) = (SELECT count(*) FROM updated)
       AND (SELECT count(DISTINCT k) = count(*) FROM inserted)
       AND coalesce((SELECT min(k) FROM inserted) > (SELECT max(${keyList()}) FROM ${stored}), true) AS paired`
  );
  if (paired) await connection.run("ALTER TABLE packed_changes DROP COLUMN __moved");
  return paired;
}

/** `packed_changes` by pairing rows by key: a full outer join of the stored rows and the snapshot's. */
async function changesByKey(connection: DuckDBConnection, stored: string, snapshot: string, key: readonly string[], rest: readonly string[]): Promise<void> {
  const on = key.map((column) => `old.${identifier(column)} = new.${identifier(column)}`).join(" AND ");
  // Rows are paired by equality, so a NULL in the key never pairs: such a row shows up as a change, and
  // is refused by the caller.
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE packed_changes AS
    SELECT ${changeColumns(key, rest)}
    FROM (SELECT *, true AS __stored FROM ${stored}) AS old
    FULL JOIN (SELECT *, true AS __new FROM ${snapshot}) AS new ON ${on}
    WHERE old.__stored IS NULL OR new.__new IS NULL${distinct(rest)
      .map((test) => ` OR ${test}`)
      .join("")}`);
}
