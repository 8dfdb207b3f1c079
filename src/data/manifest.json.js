// The warehouse manifest (lineage, runs) for the pipeline and data-quality pages.
import {runtime} from "../../loaders/launch.mjs";

await (await runtime()).writeManifestJson();
