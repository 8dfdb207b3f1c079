// The snapshot contract (tables, columns, descriptions) for the SQL console and the notebook template.
import {runtime} from "../../loaders/launch.mjs";

(await runtime()).writeSchemaJson();
