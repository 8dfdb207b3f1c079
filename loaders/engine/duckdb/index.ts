import type {Engine} from "../engine.js";
import {clean, dropCleanTables} from "./clean.js";
import {held, load, quarantineExamples} from "./load.js";
import {marts} from "./marts.js";

/** The default engine: embedded DuckDB in the pipeline's own process. */
export const duckdbEngine: Engine = {
  name: "duckdb",
  code: [
    import.meta.url,
    new URL("./load.ts", import.meta.url).href,
    new URL("./load-sql.ts", import.meta.url).href,
    new URL("./clean.ts", import.meta.url).href,
    new URL("./marts.ts", import.meta.url).href,
    new URL("../../transform/clean-sql.ts", import.meta.url).href,
    new URL("../../transform/match-returns.ts", import.meta.url).href,
    new URL("../../transform/marts-sql.ts", import.meta.url).href,
    new URL("../../transform/money.ts", import.meta.url).href
  ],
  held,
  load,
  quarantineExamples,
  clean,
  cleanDone: dropCleanTables,
  marts
};
