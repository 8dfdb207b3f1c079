// Arquero's browser build. Its package entry imports `node:fs` for file loading (its "browser" field
// remaps that, but Framework's bundler does not apply it), so the site imports the prebuilt UMD bundle,
// whose exports arrive as one default object.
import arquero from "arquero/dist/arquero.js";

export type {ColumnTable} from "arquero";
export const {table, op, escape, desc, from, fromArrow, toArrow, agg, all, not, range} = arquero;
export default arquero;
