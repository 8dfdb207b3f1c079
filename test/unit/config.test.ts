import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {resolveOptions} from "../../loaders/config.js";
import {UsageError} from "../../loaders/errors.js";
import {FLAG_OPTIONS, parseCommand, parseFlags} from "../../loaders/flags.js";
import {configJsonSchema, OPTION_NAMES} from "../../loaders/options-schema.js";
import {checkPatterns} from "../../loaders/patterns.js";
import {startCli} from "../helpers/cli.js";
import {PROJECT_ROOT, workspace} from "../helpers/fixtures.js";

const space = workspace();
const configFile = join(space.dir, "retail.config.json");
afterEach(() => writeFileSync(configFile, "{}"));
const withConfig = (config: object) => {
  writeFileSync(configFile, JSON.stringify(config));
  return () => resolveOptions({root: space.dir});
};

describe("resolveOptions", () => {
  it("resolves folders against the root and upper-cases non-product codes", () => {
    const options = resolveOptions({root: space.dir, nonProductCodes: ["post", " Dot "]});
    expect(options.rawDir).toBe(join(space.dir, "data/raw"));
    expect(options.warehouseDir).toBe(join(space.dir, "data/warehouse"));
    expect(options.nonProductCodes).toEqual(["POST", "DOT"]);
    expect(options.maxQuarantineShare).toBe(0.05);
  });

  it("reads retail.config.json and lets explicit options win", () => {
    writeFileSync(configFile, JSON.stringify({maxQuarantineShare: 0.2, seed: 7}));
    expect(resolveOptions({root: space.dir}).maxQuarantineShare).toBe(0.2);
    expect(resolveOptions({root: space.dir, maxQuarantineShare: 0.1}).maxQuarantineShare).toBe(0.1);
  });

  it("names the bad value", async () => {
    expect(() => resolveOptions({root: space.dir, maxQuarantineShare: 1.5})).toThrow(
      new UsageError("invalid maxQuarantineShare; expected a number from 0 to 1: 1.5")
    );
    expect(() => resolveOptions({root: space.dir, threads: 0})).toThrow("invalid threads; not a positive integer: 0");
    expect(() => resolveOptions({root: space.dir, memoryLimit: "lots"})).toThrow('invalid memoryLimit; expected a size such as "2GB": "lots"');
    // Patterns are compiled as RE2 (asynchronously, before a run takes the lock).
    await expect(checkPatterns({warehouseDir: space.warehouse, nonProductPatterns: ["(unclosed"]})).rejects.toThrow(
      'invalid nonProductPatterns; not a regular expression: "(unclosed"'
    );
    writeFileSync(configFile, JSON.stringify({maxQuarantinShare: 0.2}));
    expect(() => resolveOptions({root: space.dir})).toThrow('unknown option "maxQuarantinShare"');
  });

  it("has the new options' defaults", () => {
    const options = resolveOptions({root: space.dir});
    expect([options.badFiles, options.stageTimeoutSeconds, options.stageMemoryMB, options.refit, options.forceRefit]).toEqual([
      "fail",
      900,
      4096,
      "week",
      false
    ]);
  });
});

describe("retail.config.json against the schema", () => {
  it.each([
    [{nonProductPatterns: "^GIFT_"}, 'invalid nonProductPatterns; expected an array of regular expressions (strings): "^GIFT_"'],
    [{force: "false"}, 'invalid force; expected true or false: "false"'],
    [{threads: "2"}, 'invalid threads; not a positive integer: "2"'],
    [{threads: 2.5}, "invalid threads; not a positive integer: 2.5"],
    [{maxQuarantineShare: 1.5}, "invalid maxQuarantineShare; expected a number from 0 to 1: 1.5"],
    [{maxQuarantineShare: -0.1}, "invalid maxQuarantineShare; expected a number from 0 to 1: -0.1"],
    [{rawDir: 3}, "invalid rawDir; expected a folder path (a non-empty string): 3"],
    [{warehouseDir: ""}, 'invalid warehouseDir; expected a folder path (a non-empty string): ""'],
    [{nonProductCodes: ["POST", 7]}, 'invalid nonProductCodes; expected an array of strings: ["POST",7]'],
    [{engine: "spark"}, 'invalid engine; expected duckdb or clickhouse: "spark"'],
    [{badFiles: "ignore"}, 'invalid badFiles; expected fail or skip: "ignore"'],
    [{stageTimeoutSeconds: 0}, "invalid stageTimeoutSeconds; not a number greater than 0: 0"],
    [{stageMemoryMB: 100}, "invalid stageMemoryMB; not an integer of at least 256: 100"],
    [{refit: "year"}, 'invalid refit; expected day, week or month: "year"'],
    [{forceRefit: 1}, "invalid forceRefit; expected true or false: 1"],
    [{segments: 1}, "invalid segments; not an integer from 2 to 20: 1"]
  ])("refuses %j, naming the file, the key, the value and what is allowed", (config, message) => {
    expect(withConfig(config)).toThrow(new UsageError(`${configFile}: ${message}`));
  });

  it("suggests the option a mistyped key meant, and lists them all otherwise", () => {
    expect(withConfig({maxQuarantinShare: 0.2})).toThrow(
      `${configFile}: unknown option "maxQuarantinShare"; did you mean "maxQuarantineShare"? Known options: rawDir,`
    );
    expect(withConfig({Threads: 2})).toThrow('unknown option "Threads"; did you mean "threads"?');
    expect(withConfig({colour: "red"})).toThrow(new RegExp(`^${configFile}: unknown option "colour" Known options: rawDir, warehouseDir, `));
  });

  it("accepts a $schema key and the new options", () => {
    const options = withConfig({
      $schema: "./retail.config.schema.json",
      badFiles: "skip",
      stageTimeoutSeconds: 0.5,
      stageMemoryMB: 256,
      refit: "month",
      forceRefit: true
    })();
    expect([options.badFiles, options.stageTimeoutSeconds, options.stageMemoryMB, options.refit, options.forceRefit]).toEqual([
      "skip",
      0.5,
      256,
      "month",
      true
    ]);
    expect(withConfig({$schema: 1})).toThrow(`${configFile}: invalid $schema; expected the path or URL of a JSON Schema: 1`);
  });

  it("publishes its JSON Schema as retail.config.schema.json, up to date (npm run schema)", () => {
    const published = readFileSync(join(PROJECT_ROOT, "retail.config.schema.json"), "utf8");
    expect(published).toBe(configJsonSchema());
    const schema = JSON.parse(published);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.threads).toMatchObject({type: "integer", minimum: 1});
    expect(schema.properties.badFiles.enum).toEqual(["fail", "skip"]);
  });
});

describe("the options' documentation", () => {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("npm run pipeline -- --help` lists them"));

  it("the README's configuration table has a row for every option, with its flag", () => {
    const rows = table.split("\n").filter((line) => line.startsWith("| "));
    for (const option of OPTION_NAMES) {
      const row = rows.find((line) => line.split(" | ")[1]?.includes(`\`${option}\``));
      expect(row, `README: no row for ${option}`).toBeDefined();
      for (const [flag, key] of Object.entries(FLAG_OPTIONS))
        if (key === option) expect(row, `README: ${option}'s row lacks --${flag}`).toContain(`\`--${flag}`);
    }
  });

  it("--help lists every flag", async () => {
    const help = startCli(["--help"]);
    expect(await help.exited).toBe(0);
    for (const flag of Object.keys(FLAG_OPTIONS)) expect(help.stdout() + help.stderr()).toMatch(new RegExp(`^  --${flag}\\b`, "m"));
  });
});

describe("command-line flags against the same schema", () => {
  it("reads --stages-at-once as a number or auto", () => {
    expect(parseFlags(["--stages-at-once", "1"])).toEqual({stagesAtOnce: 1});
    expect(parseFlags(["--stages-at-once", "auto"])).toEqual({stagesAtOnce: "auto"});
    expect(() => parseFlags(["--stages-at-once", "0"])).toThrow('invalid --stages-at-once; expected auto or a positive integer: "0"');
    expect(() => parseFlags(["--stages-at-once", "some"])).toThrow('invalid --stages-at-once; expected auto or a positive integer: "some"');
  });

  it("reads the new flags", () => {
    expect(parseFlags(["--skip-bad-files", "--stage-timeout", "30", "--stage-memory", "512", "--refit", "--wait", "1.5", "--threads", "2"])).toEqual({
      badFiles: "skip",
      stageTimeoutSeconds: 30,
      stageMemoryMB: 512,
      forceRefit: true,
      lockWaitMs: 1500,
      threads: 2
    });
    expect(parseFlags(["--help"])).toBeNull();
  });

  it("reads the watch flags: --watch, and --poll SECONDS (which implies it)", () => {
    expect(parseCommand(["--raw", "in"])).toEqual({kind: "run", options: {rawDir: "in"}});
    expect(parseCommand(["--watch", "--raw", "in"])).toEqual({kind: "watch", options: {rawDir: "in"}, pollSeconds: null});
    expect(parseCommand(["--poll", "2.5"])).toEqual({kind: "watch", options: {}, pollSeconds: 2.5});
    expect(parseCommand(["--poll=10", "--site", "web"])).toEqual({kind: "watch", options: {siteRoot: "web"}, pollSeconds: 10});
    expect(parseCommand(["--graph"])).toEqual({kind: "graph"});
    expect(() => parseCommand(["--poll", "0"])).toThrow(new UsageError('invalid --poll; not a positive number of seconds: "0"'));
    expect(() => parseCommand(["--poll", "often"])).toThrow(new UsageError('invalid --poll; not a positive number of seconds: "often"'));
    expect(() => parseCommand(["--watch", "--poll"])).toThrow(new UsageError('invalid --poll; not a positive number of seconds: ""'));
  });

  it.each([
    [["--threads", "two"], 'invalid --threads; not a positive integer: "two"'],
    [["--threads", "0"], 'invalid --threads; not a positive integer: "0"'],
    [["--max-quarantine-share", "1.5"], 'invalid --max-quarantine-share; expected a number from 0 to 1: "1.5"'],
    [["--wait=-5"], 'invalid --wait; not a non-negative number: "-5"'],
    [["--stage-memory", "64"], 'invalid --stage-memory; not an integer of at least 256: "64"'],
    [["--stage-timeout", "soon"], 'invalid --stage-timeout; not a number greater than 0: "soon"'],
    [["--progress", "loud"], 'invalid --progress; expected auto, live, plain or silent: "loud"'],
    [["--thread", "2"], "unknown option --thread; did you mean --threads? See --help"]
  ])("refuses %j", (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(new UsageError(message));
  });

  it("exits with code 2 and no stack trace for a bad flag, a bad config value and a pattern RE2 rejects", async () => {
    const flag = startCli(["--threads", "two", "--raw", space.raw, "--warehouse", space.warehouse]);
    expect(await flag.exited).toBe(2);
    expect(flag.stderr()).toBe('error: invalid --threads; not a positive integer: "two"\n');

    const project = workspace("retail-config-cli-");
    try {
      writeFileSync(join(project.dir, "retail.config.json"), JSON.stringify({force: "false"}));
      const file = startCli(["--raw", project.raw, "--warehouse", project.warehouse], {}, project.dir);
      expect(await file.exited).toBe(2);
      expect(file.stderr()).toContain(`Pipeline failed: ${join(project.dir, "retail.config.json")}: invalid force; expected true or false: "false"`);
      expect(file.stderr()).not.toMatch(/\n\s+at /);

      writeFileSync(join(project.dir, "retail.config.json"), JSON.stringify({nonProductPatterns: ["^GIFT_", "(?=x)"]}));
      const pattern = startCli(["--raw", project.raw, "--warehouse", project.warehouse], {}, project.dir);
      expect(await pattern.exited).toBe(2);
      expect(pattern.stderr()).toContain('invalid nonProductPatterns; not a regular expression: "(?=x)" (invalid perl operator: (?=)');
      expect(pattern.stderr()).not.toMatch(/\n\s+at /);
      expect(existsSync(join(project.warehouse, ".lock"))).toBe(false);
    } finally {
      project.dispose();
    }
  });
});

describe("checkPatterns", () => {
  it("accepts what RE2 accepts (even where JavaScript does not), refuses the rest, and remembers what it checked", async () => {
    const options = {warehouseDir: space.dir, nonProductPatterns: ["^GIFT_", "(?P<kind>FEE)$", "\\d+"]};
    await checkPatterns(options);
    expect(JSON.parse(readFileSync(join(space.dir, ".checked-patterns.json"), "utf8"))).toEqual(["(?P<kind>FEE)$", "\\d+"]);
    for (const pattern of ["(?=x)", "(?<!x)y", "(a)\\1", "x*+"]) {
      await expect(checkPatterns({warehouseDir: space.dir, nonProductPatterns: [pattern]})).rejects.toThrow(
        `invalid nonProductPatterns; not a regular expression: ${JSON.stringify(pattern)}`
      );
    }
  });
});
