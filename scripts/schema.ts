// npm run schema: writes retail.config.schema.json (the JSON Schema of retail.config.json, for editors)
// from the pipeline's option schema. A test fails when the committed file is out of date.
import {writeFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {configJsonSchema} from "../loaders/options-schema.js";

const path = fileURLToPath(new URL("../retail.config.schema.json", import.meta.url));
writeFileSync(path, configJsonSchema());
process.stdout.write(`wrote ${path}\n`);
