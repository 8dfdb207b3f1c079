/**
 * The Parquet options of every table the pipeline writes. DuckDB cuts row groups where its input batches
 * add up to ROW_GROUP_SIZE, and batches depend on the query plan (a cold scan of CSV files, or rows carried
 * over from a previous snapshot), so the same rows could be laid out, and hashed, differently. A table of
 * up to a million rows is one row group whatever the plan: its bytes depend on its content alone.
 */
export const PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1048576";
