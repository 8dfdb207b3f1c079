/**
 * The Parquet options of every table the pipeline writes. DuckDB cuts row groups where its input batches
 * add up to ROW_GROUP_SIZE, and batches depend on the query plan (a cold scan of CSV files, or rows carried
 * over from a previous snapshot), so the same rows could be laid out, and hashed, differently. A table of
 * up to a million rows is one row group whatever the plan: its bytes depend on its content alone
 * (test/unit/parquet-options.test.ts). One thread does not change that: DuckDB's default of 122,880 rows
 * would write `raw_lines` in 420 ms instead of 650 ms there, but rows carried over from files with other
 * row groups came out in groups of 124,579, 123,229 and 52,193 rows.
 *
 * Snappy, not zstd: the site decodes its small snapshots in JavaScript (hyparquet), where snappy is built
 * in and zstd needs a JavaScript decompressor that took 150–300 ms of a first visit's main thread for the
 * Overview's orders (0.3 MB zstd, 0.5 MB snappy). The pipeline wrote and read both equally fast.
 */
export const PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1048576";
