// Where a pipeline run's DuckDB time goes, statement by statement: preload this module into any command
// that runs the pipeline, and every statement's start, duration and text is appended to a log.
//
//   node --import ./bench/sql-timings.mjs loaders/launch.mjs --progress plain [options]
//   sort -t$'\t' -k2 -rn sql-timings.tsv | head -30        the slowest statements
//
// SQL_TIMINGS=path sets the log (default: sql-timings.tsv in the working folder), one line per statement:
// ms since the process started, duration in ms, the connection's number, the statement (first 300
// characters, whitespace folded). Statements of different connections overlap in time when stages run
// side by side; a connection's own methods that call each other are logged once, at the outermost call.
import {DuckDBConnection} from "@duckdb/node-api";
import {openSync, writeSync} from "node:fs";

// The pipeline's bundle otherwise holds its own copy of DuckDB's API, which this module could not patch.
process.env.RETAIL_DUCKDB_FROM_NODE_MODULES = "1";

const log = openSync(process.env.SQL_TIMINGS ?? "sql-timings.tsv", "a");
const numbers = new WeakMap();
const depth = new WeakMap();
let connections = 0;

for (const name of ["run", "runAndRead", "runAndReadAll", "runAndReadUntil", "stream", "streamAndRead", "streamAndReadAll", "streamAndReadUntil"]) {
  const original = DuckDBConnection.prototype[name];
  if (typeof original !== "function") continue;
  DuckDBConnection.prototype[name] = async function (sql, ...rest) {
    if (!numbers.has(this)) numbers.set(this, ++connections);
    const outermost = !depth.get(this);
    depth.set(this, (depth.get(this) ?? 0) + 1);
    const started = performance.now();
    try {
      return await original.call(this, sql, ...rest);
    } finally {
      depth.set(this, depth.get(this) - 1);
      if (outermost) {
        const text = String(sql).replace(/\s+/g, " ").trim().slice(0, 300);
        writeSync(log, `${started.toFixed(0)}\t${(performance.now() - started).toFixed(1)}\t${numbers.get(this)}\t${text}\n`);
      }
    }
  };
}
