import {defineConfig} from "vitest/config";

export default defineConfig({
  // The components import Plot's bundle (src/components/vendor/plot.js, written by the site's config); in Node, the package.
  resolve: {alias: [{find: /^(?:\.\.?\/)+vendor\/plot\.js$/, replacement: "@observablehq/plot"}]},
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Fixed time zone: every date in the pipeline is a wall-clock time without zone; tests must not depend on the machine's.
    env: {TZ: "UTC", CI: "1"},
    sequence: {hooks: "stack"}
  }
});
