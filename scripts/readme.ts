// npm run readme: regenerates the README's generated parts (the stage graph) from the code.
import {readFileSync, writeFileSync} from "node:fs";
import {projectPath} from "../loaders/paths.js";
import {formatGraph} from "../loaders/run/graph.js";
import {STAGES} from "../loaders/stages/index.js";
import {withStageGraph} from "./readme-graph.js";

const path = projectPath("README.md");
const before = readFileSync(path, "utf8");
const after = withStageGraph(before, formatGraph(STAGES));
if (after !== before) writeFileSync(path, after);
process.stdout.write(after === before ? "README.md is up to date\n" : "README.md: stage graph updated\n");
