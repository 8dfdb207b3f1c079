import {readdirSync, readFileSync} from "node:fs";
import {builtinModules} from "node:module";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_ROOT} from "../helpers/fixtures.js";

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
const devDependencies = new Set(Object.keys(manifest.devDependencies ?? {}));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** The module specifiers a file imports: static imports and re-exports, dynamic import(), require(). */
function specifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found = [
    ...code.matchAll(/^\s*(?:import|export)\s(?:[^'"`;]*?\sfrom\s*)?["']([^"']+)["']/gm),
    ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)
  ].map((match) => match[1]);
  return [...new Set(found)];
}

/** The package a bare specifier names, or null for relative paths, builtins and URLs. */
function packageOf(specifier: string): string | null {
  if (/^(\.|\/|node:|[a-z]+:)/.test(specifier)) return null;
  if (builtinModules.includes(specifier.split("/")[0])) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

describe("every imported package is declared in package.json", () => {
  it("finds bare imports in every form, and only those", () => {
    const source = [
      'import {a} from "alpha";',
      "import type {B} from 'beta/sub';",
      'import "gamma";',
      'export {d} from "@scope/delta/deep";',
      'const e = await import("epsilon");',
      'import {readFileSync} from "node:fs";',
      'import {join} from "path";',
      'import {x} from "./local.js";',
      '// import {z} from "commented";',
      'const text = "import from nowhere";'
    ].join("\n");
    expect(specifiers(source).map(packageOf).filter(Boolean)).toEqual(["alpha", "beta", "gamma", "@scope/delta", "epsilon"]);
  });

  it.each([
    ["loaders", dependencies],
    ["models", dependencies],
    ["scripts", dependencies],
    // Benchmarks and tests are development tools: they may use devDependencies.
    ["bench", new Set([...dependencies, ...devDependencies])],
    ["src/components", dependencies],
    ["test", new Set([...dependencies, ...devDependencies])]
  ])("%s/", (dir, declared) => {
    const missing = sourceFiles(dir)
      .filter((file) => file !== "test/unit/dependencies.test.ts")
      .flatMap((file) =>
        specifiers(readFileSync(join(PROJECT_ROOT, file), "utf8"))
          .map(packageOf)
          .filter((name): name is string => name !== null && !declared.has(name))
          .map((name) => `${file}: ${name}`)
      );
    expect(missing).toEqual([]);
  });
});
