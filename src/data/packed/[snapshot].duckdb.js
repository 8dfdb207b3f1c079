// One thin loader for every snapshot's browser copy (a read-only DuckDB file packed from its Parquet).
import {parseArgs} from "node:util";
import {runtime} from "../../../loaders/launch.mjs";

const {values} = parseArgs({options: {snapshot: {type: "string"}}});
await (await runtime()).writePackedSnapshot(values.snapshot);
