import {existsSync, mkdirSync, readdirSync, readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";

/**
 * Lets `observable build` and `observable preview` run with no network.
 *
 * Framework's own client and standard library name `npm:` packages (react-dom for JSX cells, the
 * libraries behind its implicit imports). Our pages use none of them, yet the build resolves each to a
 * version, asking registry.npmjs.org unless Framework's cache already holds a folder
 * `.observablehq/cache/_npm/<name>@<version>`. This creates those (empty) folders, with the installed
 * version where the package is in node_modules, so the resolution is answered locally. Nothing is
 * downloaded either way: a page that actually used such an import would still need the network, and
 * the offline build would fail, which is the point (see src/components/README.md).
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
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as {version: string}).version;
  } catch {
    return null; // not installed, or its package.json is not exported
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}
