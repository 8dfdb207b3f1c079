import {spawn, type ChildProcess} from "node:child_process";
import {join} from "node:path";
import {PROJECT_ROOT} from "./fixtures.js";

export interface CliRun {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** Resolves once stderr contains `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

/**
 * Arguments for a pipeline run on a scratch warehouse: a `--site` folder beside it unless one is given, so
 * the run never publishes into the project's own site (src/data).
 */
export function withScratchSite(args: readonly string[]): string[] {
  const warehouse = args.indexOf("--warehouse");
  if (warehouse < 0 || args.includes("--site")) return [...args];
  return [...args, "--site", `${args[warehouse + 1]}-site`];
}

/** Starts `npm run pipeline` the way a user would, with extra arguments, in `cwd` (the project root by default). */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = PROJECT_ROOT): CliRun {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, "loaders/launch.mjs"), ...withScratchSite(args)], {
    cwd,
    env: {...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env},
    stdio: ["ignore", "pipe", "pipe"]
  });
  let stderr = "";
  let stdout = "";
  const waiters: {text: string; resolve: () => void}[] = [];
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
    for (const waiter of waiters.filter((candidate) => stderr.includes(candidate.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    waitFor(text, timeoutMs = 60_000) {
      if (stderr.includes(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${JSON.stringify(text)}; stderr so far:\n${stderr}`)), timeoutMs);
        waiters.push({text, resolve: () => (clearTimeout(timer), resolve())});
        void exited.then(() => {
          clearTimeout(timer);
          if (!stderr.includes(text)) reject(new Error(`process ended before ${JSON.stringify(text)}; stderr:\n${stderr}`));
        });
      });
    }
  };
}
