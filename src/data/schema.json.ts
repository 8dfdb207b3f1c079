// The snapshot contract (tables, columns, descriptions) for the SQL console and the notebook template.
import {writeSchemaJson} from "../../loaders/site/packed.js";

writeSchemaJson();
