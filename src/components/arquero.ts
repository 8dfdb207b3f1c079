// Arquero's browser build. Its package entry imports `node:fs` for file loading (its "browser" field
// remaps that, but Framework's bundler does not apply it), so the site imports the prebuilt UMD bundle,
// whose exports arrive as one default object.
import bundled from "arquero/dist/arquero.js";

// Node (the unit tests) loads the bundle as an ES module, where the UMD wrapper sets `globalThis.aq` instead.
const arquero: typeof bundled = bundled ?? (globalThis as unknown as {aq: typeof bundled}).aq;

export type {ColumnTable} from "arquero";
export const {table, op, escape, desc, from, fromArrow, toArrow, agg, all, not, range} = arquero;
export default arquero;
