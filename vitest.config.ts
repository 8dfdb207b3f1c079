import {defineConfig} from "vitest/config";

export default defineConfig({
  // The components import Plot and d3 the way Framework serves them (one bundle each); in Node, node_modules.
  resolve: {alias: {"npm:@observablehq/plot": "@observablehq/plot", "npm:d3": "d3"}},
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
