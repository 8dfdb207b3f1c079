import {buildSync} from "esbuild";
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";

/**
 * Lets `observable build` and `observable preview` run with no network.
 *
 * Framework's own client and standard library name `npm:` packages (react-dom for JSX cells, the
 * libraries behind its implicit imports). Our pages use none of them, yet the build resolves each to a
 * version, asking registry.npmjs.org unless Framework's cache already holds a folder
 * `.observablehq/cache/_npm/<name>@<version>`. This creates those (empty) folders, with the installed
 * version where the package is in node_modules, so the resolution is answered locally; then
 * `fillImplicitImports` puts local builds of the libraries behind Framework's implicit imports in them.
 */
export function seedFrameworkNpmVersions(siteRoot: string, projectRoot = process.cwd()): string[] {
  const require = createRequire(join(projectRoot, "package.json"));
  const clientDir = join(dirname(require.resolve("@observablehq/framework/package.json")), "dist", "client");
  const names = new Set<string>();
  for (const file of listFiles(clientDir).filter((path) => path.endsWith(".js"))) {
    for (const [, name] of readFileSync(file, "utf8").matchAll(/["'`]npm:((?:@[\w.-]+\/)?[\w.-]+)/g)) names.add(name!);
  }
  const cache = join(projectRoot, siteRoot, ".observablehq", "cache", "_npm");
  const seeded: string[] = [];
  for (const name of [...names].sort()) {
    const scope = name.startsWith("@") ? name.split("/")[0]! : "";
    const base = name.startsWith("@") ? name.split("/")[1]! : name;
    const folder = join(cache, scope);
    if (existsSync(folder) && readdirSync(folder).some((entry) => entry.startsWith(`${base}@`))) continue;
    const folderName = `${name}@${installedVersion(require, name) ?? "0.0.0-offline"}`;
    mkdirSync(join(cache, folderName), {recursive: true});
    seeded.push(folderName);
  }
  return seeded;
}

function installedVersion(require: NodeJS.Require, name: string): string | null {
  // Many packages do not export their package.json: find it on the resolution paths instead.
  for (const dir of require.resolve.paths(name) ?? []) {
    const path = join(dir, name, "package.json");
    if (existsSync(path)) return (JSON.parse(readFileSync(path, "utf8")) as {version: string}).version;
  }
  return null;
}

/**
 * The libraries behind Framework's implicit imports (its `libraries.js`), by the names a page uses.
 * A page written as Framework's documentation writes pages (`Plot.plot(…)` with no import) makes
 * Framework fetch `npm:@observablehq/plot` from a CDN, which an offline build or preview cannot reach.
 */
export const IMPLICIT_LIBRARIES: readonly {names: string; package: string; files?: string[]}[] = [
  {names: "Plot", package: "@observablehq/plot"},
  {names: "d3", package: "d3"},
  {names: "Inputs (and the table of a ```sql display cell)", package: "@observablehq/inputs"},
  {names: "isoformat (which Framework preloads with Inputs)", package: "isoformat"},
  {names: "htl, html and svg", package: "htl"},
  {names: "aq", package: "arquero"},
  {names: "Arrow", package: "apache-arrow"},
  {names: "FileAttachment(…).csv() and .tsv()", package: "d3-dsv"},
  {names: "_", package: "lodash"},
  {names: "topojson", package: "topojson-client"},
  {
    names: "L",
    package: "leaflet",
    files: ["dist/leaflet.css", ...["layers", "layers-2x", "marker-icon", "marker-icon-2x", "marker-shadow"].map((name) => `dist/images/${name}.png`)]
  },
  {names: "echarts", package: "echarts"},
  {names: "mapboxgl", package: "mapbox-gl", files: ["dist/mapbox-gl.css"]},
  {names: "React", package: "react"},
  {names: "ReactDOM", package: "react-dom"}
];

/**
 * Makes Framework's implicit imports work offline: for each library of IMPLICIT_LIBRARIES installed in
 * node_modules, writes a self-contained ES module bundle of it (esbuild, minified) where Framework's npm
 * cache would keep the CDN's copy, `.observablehq/cache/_npm/<name>@<installed version>/_esm.js`, so
 * preview and build find it and never fetch. For a library that is not installed, writes a module that
 * fails with a message saying what to install and which import to write, instead of `fetch failed`, and
 * empty stand-ins for the stylesheets and images Framework adds with it (so the build itself succeeds).
 * Files are written once per version and recipe (atomically); returns what it wrote.
 */
export function fillImplicitImports(siteRoot: string, projectRoot = process.cwd()): string[] {
  const require = createRequire(join(projectRoot, "package.json"));
  const cache = join(projectRoot, siteRoot, ".observablehq", "cache", "_npm");
  const written: string[] = [];
  for (const library of IMPLICIT_LIBRARIES) {
    const version = installedVersion(require, library.package);
    const file = join(cache, `${library.package}@${version ?? "0.0.0-offline"}`, "_esm.js");
    const banner = `// ${library.package}@${version} from node_modules, bundled for offline use (loaders/site/framework-offline.ts)`;
    if (existsSync(file) && (!version || readFileSync(file, "utf8").startsWith(`${banner}\n`))) continue;
    let code: string;
    if (version) {
      const result = buildSync({
        entryPoints: [library.package],
        absWorkingDir: projectRoot,
        bundle: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        minify: true,
        write: false,
        logLevel: "silent",
        banner: {js: banner}
      });
      code = result.outputFiles[0]!.text;
    } else {
      const message =
        `${library.names} (npm:${library.package}) is not installed, and this site is built without the internet. ` +
        `Run \`npm install ${library.package}\`, then import it in the page: import * as lib from "${library.package}";`;
      code = `throw new Error(${JSON.stringify(message)});\n`;
    }
    writeAtomically(file, code);
    if (!version) for (const extra of library.files ?? []) writeAtomically(join(dirname(file), extra), "");
    written.push(`${library.package}@${version ?? "0.0.0-offline"}`);
  }
  return written;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}

function writeAtomically(file: string, content: string): void {
  mkdirSync(dirname(file), {recursive: true});
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

/** Where the components' copy of Plot's bundle goes, under the site root (git-ignored: derived). */
export const COMPONENT_PLOT = join("components", "vendor", "plot.js");

/**
 * Gives the components Plot as one local module, `src/components/vendor/plot.js`: a copy of the offline
 * bundle `fillImplicitImports` wrote (call that first). A bare `@observablehq/plot` import is served by
 * Framework from node_modules one file per package, and Plot is then 37 module requests (Plot, d3 and d3's
 * 30 packages, all of d3 whatever Plot uses), which on a first visit over HTTP/1.1 (six connections) delayed
 * the Overview's first chart by about 0.8 s; the bundle is one file holding only the d3 Plot uses (385 kB
 * against 496 kB). Rewritten only when the bundle changed; returns whether it wrote.
 */
export function writeComponentPlot(siteRoot: string, projectRoot = process.cwd()): boolean {
  const version = installedVersion(createRequire(join(projectRoot, "package.json")), "@observablehq/plot");
  if (!version) throw new Error("@observablehq/plot is not installed: run `npm install`");
  const bundle = readFileSync(join(projectRoot, siteRoot, ".observablehq", "cache", "_npm", `@observablehq/plot@${version}`, "_esm.js"), "utf8");
  const target = join(projectRoot, siteRoot, COMPONENT_PLOT);
  if (existsSync(target) && readFileSync(target, "utf8") === bundle) return false;
  writeAtomically(target, bundle);
  return true;
}
