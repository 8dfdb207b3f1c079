import {join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

/**
 * The project's root folder. Code versions (stage fingerprints) and worker modules are named by paths
 * relative to it, so they are the same whether the pipeline runs from its TypeScript sources (tsx, the
 * tests) or from the JavaScript bundle `loaders/launch.mjs` builds (where every module's
 * `import.meta.url` would be the bundle's): the bundler defines __RETAIL_PROJECT_ROOT__.
 */
declare const __RETAIL_PROJECT_ROOT__: string | undefined;

export const PROJECT_ROOT: string = typeof __RETAIL_PROJECT_ROOT__ === "string" ? __RETAIL_PROJECT_ROOT__ : fileURLToPath(new URL("..", import.meta.url));

/** Absolute path of a file given relative to the project root (`loaders/stages/ingest.ts`). */
export function projectPath(relative: string): string {
  return join(PROJECT_ROOT, relative);
}

/** file: URL of a file given relative to the project root, for `import()` and workers. */
export function projectUrl(relative: string): string {
  return pathToFileURL(projectPath(relative)).href;
}
