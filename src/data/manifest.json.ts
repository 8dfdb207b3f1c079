// The warehouse manifest (lineage, runs) for the pipeline and data-quality pages.
import {writeManifestJson} from "../../loaders/framework.js";

await writeManifestJson();
