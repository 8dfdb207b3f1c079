/** What Framework's data loaders (src/data/*.js) call, bundled with the CLI by loaders/launch.mjs. */
export {writeManifestJson, writeSnapshot} from "./framework.js";
export {writePackedSnapshot, writeSchemaJson} from "./site/packed.js";
