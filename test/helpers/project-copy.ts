import {spawn} from "node:child_process";
import {cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from "node:fs";
import {tmpdir} from "node:os";
import {delimiter, join, sep} from "node:path";
import {PROJECT_ROOT} from "./fixtures.js";
import {CAN_CUT_NETWORK} from "./site.js";

/**
 * A copy of the project (its code, pages and configuration; node_modules linked) with its own raw data:
 * what a user has after cloning the project and replacing the shipped data with a small extract of theirs.
 */
export interface ProjectCopy {
  dir: string;
  raw: string;
  dist: string;
  /** Runs a command in the copy the way `npm run …` would; rejects with its output when it fails. */
  run(command: string, args: string[], options?: {offline?: boolean}): Promise<string>;
  /** `npm run build`: the pipeline, then Framework's build (with no network where the machine allows). */
  build(): Promise<void>;
  dispose(): void;
}

const COPIED = ["package.json", "package-lock.json", "tsconfig.json", "observablehq.config.ts", "loaders", "models", "src"];

export function copyProject(prefix = "retail-project-"): ProjectCopy {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const entry of COPIED) {
    // Not Framework's cache, nor the site's copy of the project's own snapshots (the copy's pipeline writes its own).
    const skipped = [join("src", ".observablehq"), join("src", "data")].map((path) => join(PROJECT_ROOT, path));
    cpSync(join(PROJECT_ROOT, entry), join(dir, entry), {
      recursive: true,
      filter: (source) => !skipped.some((path) => source === path || source.startsWith(path + sep))
    });
  }
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const raw = join(dir, "data", "raw");
  const run = (command: string, args: string[], {offline = false} = {}) =>
    new Promise<string>((resolve, reject) => {
      const [program, ...rest] = offline && CAN_CUT_NETWORK ? ["unshare", "-n", command, ...args] : [command, ...args];
      const child = spawn(program!, rest, {
        cwd: dir,
        env: {
          ...process.env,
          NO_COLOR: "1",
          OBSERVABLE_TELEMETRY_DISABLE: "true",
          PATH: `${join(dir, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`
        },
        stdio: ["ignore", "pipe", "pipe"]
      });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      child.on("error", reject);
      child.on("exit", (code) =>
        code === 0 ? resolve(output) : reject(new Error(`\`${command} ${args.join(" ")}\` exited with ${code}:\n${output.slice(-4000)}`))
      );
    });
  return {
    dir,
    raw,
    dist: join(dir, "dist"),
    run,
    async build() {
      await run(process.execPath, ["loaders/site/build.mjs", "--progress", "plain"], {offline: true});
    },
    dispose() {
      rmSync(dir, {recursive: true, force: true});
    }
  };
}

/** The sidebar's page paths, read from the site configuration. */
export function sitePages(): string[] {
  const config = readFileSync(join(PROJECT_ROOT, "observablehq.config.ts"), "utf8");
  return [...config.matchAll(/path:\s*"([^"]+)"/g)].map((match) => match[1]!);
}
