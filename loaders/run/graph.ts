import {orderStages} from "./runner.js";
import type {Stage} from "./stage.js";

const WIDTHS = {inputs: 30, outputs: 30, description: 46};
const REFIT_WORDS: Record<string, string> = {day: "daily", week: "weekly", month: "monthly"};

/**
 * The stage graph as a plain-text table, in dependency order: each stage's inputs, outputs, when it refits
 * (a model stage fits on the data through the last complete `refit` period, others run on every change),
 * and what it does (`npm run pipeline -- --graph`, and the README's diagram). Long cells wrap; a blank line
 * separates stages.
 */
export function formatGraph(stages: readonly Stage[], {refit = "week"}: {refit?: string} = {}): string {
  const ordered = orderStages(stages);
  const rows = [
    [["stage"], ["inputs"], ["outputs"], ["refit"], ["description"]],
    ...ordered.map((stage) => [
      [stage.name],
      wrap(stage.inputs.length ? stage.inputs.join(", ") : "(raw files)", WIDTHS.inputs),
      wrap(stage.outputs.join(", "), WIDTHS.outputs),
      [stage.refit ? `${REFIT_WORDS[refit] ?? refit} fit` : "every run"],
      wrap(stage.description, WIDTHS.description)
    ])
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => Math.max(...row[column].map((line) => line.length)))));
  const lines: string[] = [];
  for (const [index, row] of rows.entries()) {
    if (index > 1) lines.push("");
    const height = Math.max(...row.map((cell) => cell.length));
    for (let line = 0; line < height; line++) {
      lines.push(
        row
          .map((cell, column) => (cell[line] ?? "").padEnd(widths[column]))
          .join("  ")
          .trimEnd()
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** Splits text into lines of at most `width` characters at spaces (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
