// One thin loader for every snapshot's browser copy (a read-only DuckDB file packed from its Parquet).
import {parseArgs} from "node:util";
import {writePackedSnapshot} from "../../../loaders/site/packed.js";

const {values} = parseArgs({options: {snapshot: {type: "string"}}});
await writePackedSnapshot(values.snapshot!);
