// One thin loader for every snapshot: Framework runs it as `[snapshot].parquet.ts --snapshot <name>`.
import {parseArgs} from "node:util";
import {writeSnapshot} from "../../loaders/framework.js";

const {values} = parseArgs({options: {snapshot: {type: "string"}}});
await writeSnapshot(values.snapshot!);
