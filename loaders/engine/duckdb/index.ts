import type {Engine} from "../engine.js";
import {clean, dropCleanTables} from "./clean.js";
import {held, load, quarantineExamples} from "./load.js";
import {marts, productMarts} from "./marts.js";

/** The default engine: embedded DuckDB in the pipeline's own process. */
export const duckdbEngine: Engine = {
  name: "duckdb",
  held,
  load,
  quarantineExamples,
  clean,
  cleanDone: dropCleanTables,
  marts,
  productMarts
};
