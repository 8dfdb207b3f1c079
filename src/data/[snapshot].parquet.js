// One thin loader for every snapshot: Framework runs it as `[snapshot].parquet.js --snapshot <name>`.
import {parseArgs} from "node:util";
import {runtime} from "../../loaders/launch.mjs";

const {values} = parseArgs({options: {snapshot: {type: "string"}}});
await (await runtime()).writeSnapshot(values.snapshot);
