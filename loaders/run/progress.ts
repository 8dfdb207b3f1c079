import pc from "picocolors";
import {formatCount, formatMs} from "./format.js";

/** Receives a run's events; implementations draw a live display, print log lines, or stay silent. */
export interface Reporter {
  runStarted(info: {runId: string; files: number; stages: string[]}): void;
  stageStarted(stage: string, reason: string): void;
  stageProgress(stage: string, update: {rows?: number; detail?: string}): void;
  stageFinished(stage: string, info: {durationMs: number; rowsOut?: number; detail?: string}): void;
  stageSkipped(stage: string, reason: string): void;
  /** Something about the run as a whole that its reader should know (such as a limit on stages at once). */
  note(text: string): void;
  runFinished(): void;
}

export const silentReporter: Reporter = {
  runStarted() {},
  stageStarted() {},
  stageProgress() {},
  stageFinished() {},
  stageSkipped() {},
  note() {},
  runFinished() {}
};

export {formatCount, formatMs} from "./format.js";

/** One line per event, for logs and CI (no terminal control codes). */
export function plainReporter(write: (line: string) => void = (line) => process.stderr.write(line + "\n")): Reporter {
  const started = performance.now();
  const stamp = () => `[${((performance.now() - started) / 1000).toFixed(2).padStart(6)}s]`;
  return {
    runStarted({runId, files}) {
      write(`${stamp()} run ${runId}: ${formatCount(files)} input files`);
    },
    stageStarted(stage, reason) {
      write(`${stamp()} ${stage}: started (${reason})`);
    },
    stageProgress(stage, {rows, detail}) {
      write(`${stamp()} ${stage}: ${[rows !== undefined ? `${formatCount(rows)} rows` : "", detail ?? ""].filter(Boolean).join(", ")}`);
    },
    stageFinished(stage, {durationMs, rowsOut, detail}) {
      const parts = [rowsOut !== undefined ? `${formatCount(rowsOut)} rows` : "", detail ?? ""].filter(Boolean);
      write(`${stamp()} ${stage}: done in ${formatMs(durationMs)}${parts.length ? ` (${parts.join(", ")})` : ""}`);
    },
    stageSkipped(stage, reason) {
      write(`${stamp()} ${stage}: skipped (${reason})`);
    },
    note(text) {
      write(`${stamp()} ${text}`);
    },
    runFinished() {}
  };
}

interface LiveStage {
  state: "waiting" | "running" | "done" | "skipped";
  startedAt: number;
  durationMs: number;
  rows?: number;
  detail?: string;
}

/** A live, redrawn view of every stage (spinner, rows, elapsed time) for a terminal. */
export async function liveReporter(stream: NodeJS.WriteStream = process.stderr): Promise<Reporter> {
  const {createLogUpdate} = await import("log-update");
  const update = createLogUpdate(stream, {showCursor: true});
  const stages = new Map<string, LiveStage>();
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let frame = 0;
  let header = "";
  const notes: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    frame = (frame + 1) % frames.length;
    const width = Math.max(...[...stages.keys()].map((name) => name.length));
    const lines = [...stages].map(([name, stage]) => {
      const icon =
        stage.state === "running" ? pc.cyan(frames[frame]) : stage.state === "done" ? pc.green("✓") : stage.state === "skipped" ? pc.dim("–") : pc.dim("·");
      const elapsed = stage.state === "running" ? performance.now() - stage.startedAt : stage.durationMs;
      const time = stage.state === "waiting" || stage.state === "skipped" ? "" : formatMs(elapsed).padStart(8);
      const rows = stage.rows !== undefined ? `${formatCount(stage.rows)} rows` : "";
      const text = [rows, stage.detail].filter(Boolean).join(" · ");
      const label = stage.state === "skipped" ? pc.dim(name.padEnd(width)) : name.padEnd(width);
      return `${icon} ${label} ${pc.dim(time)}  ${stage.state === "skipped" ? pc.dim(text) : text}`;
    });
    update([header, ...notes, ...lines].join("\n"));
  };
  return {
    runStarted({runId, files, stages: names}) {
      header = pc.bold(`pipeline run ${runId}`) + pc.dim(` · ${formatCount(files)} input files`);
      for (const name of names) stages.set(name, {state: "waiting", startedAt: 0, durationMs: 0});
      timer = setInterval(draw, 80);
      timer.unref();
      draw();
    },
    stageStarted(name, reason) {
      stages.set(name, {state: "running", startedAt: performance.now(), durationMs: 0, detail: reason});
      draw();
    },
    stageProgress(name, {rows, detail}) {
      const stage = stages.get(name);
      if (!stage) return;
      if (rows !== undefined) stage.rows = rows;
      if (detail !== undefined) stage.detail = detail;
    },
    stageFinished(name, {durationMs, rowsOut, detail}) {
      stages.set(name, {state: "done", startedAt: 0, durationMs, rows: rowsOut, detail});
      draw();
    },
    stageSkipped(name, reason) {
      stages.set(name, {state: "skipped", startedAt: 0, durationMs: 0, detail: reason});
      draw();
    },
    note(text) {
      notes.push(pc.dim(text));
      draw();
    },
    runFinished() {
      if (timer) clearInterval(timer);
      draw();
      update.done();
    }
  };
}

export async function createReporter(mode: "auto" | "live" | "plain" | "silent"): Promise<Reporter> {
  if (mode === "silent") return silentReporter;
  // A terminal that reports no size (some emulators, `script`) cannot show a redrawn frame: use plain lines.
  const sized = Boolean(process.stderr.isTTY && process.stderr.rows > 0);
  if ((mode === "live" && sized) || (mode === "auto" && sized && !process.env.CI)) return liveReporter();
  return plainReporter();
}
