import type {Engine} from "../engine.js";
import {clean} from "./clean.js";
import {held, load, quarantineExamples} from "./load.js";
import {marts, productMarts} from "./marts.js";

/**
 * The scale-out engine: loading, cleaning and the marts run on a ClickHouse cluster (18.16 or later);
 * their results come back as the same snapshots the embedded engine writes, so models and pages do not
 * know which engine ran.
 */
export const clickhouseEngine: Engine = {
  name: "clickhouse",
  held,
  load,
  quarantineExamples,
  clean,
  cleanDone: async () => {},
  marts,
  productMarts
};
