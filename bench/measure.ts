import {spawn} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {withScratchSite} from "../test/helpers/cli.js";
import {fileURLToPath} from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface Timed {
  ms: number;
  /** Peak resident memory of the whole process, MiB. */
  peakMiB: number;
  /** CPU time of the whole process (all threads), ms. */
  cpuMs: number;
  stdout: string;
}

/** Runs the pipeline CLI as a user would (a fresh Node process), timing it and reading its peak memory. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Timed> {
  const scratch = mkdtempSync(join(tmpdir(), "retail-bench-"));
  const report = join(scratch, "resources.json");
  const started = performance.now();
  const child = spawn(process.execPath, ["loaders/launch.mjs", "--progress", "silent", ...withScratchSite(args)], {
    cwd: ROOT,
    env: {...process.env, ...env, RETAIL_RESOURCE_REPORT: report, NO_COLOR: "1"},
    stdio: ["ignore", "pipe", "pipe"]
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`pipeline ${args.join(" ")} exited with ${code}:\n${stderr}${stdout}`);
  const {maxRssKiB, cpuMs} = JSON.parse(readFileSync(report, "utf8")) as {maxRssKiB: number; cpuMs: number};
  rmSync(scratch, {recursive: true, force: true});
  return {ms, peakMiB: maxRssKiB / 1024, cpuMs, stdout};
}

/** Runs a shell command, returning its wall time. */
export async function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, {cwd: ROOT, env: {...process.env, ...env}, stdio: ["ignore", "ignore", "pipe"]});
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}:\n${stderr}`);
  return performance.now() - started;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return {median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length};
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}
