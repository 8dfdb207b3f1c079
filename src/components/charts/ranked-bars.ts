import * as Plot from "../vendor/plot.js";
import {clickable} from "./clickable.js";
import {chartWidth, figure} from "./figure.js";

// One formatter, not one per bar (labels are computed on every redraw).
const compact = new Intl.NumberFormat("en-GB", {notation: "compact", maximumFractionDigits: 1});
const share = new Intl.NumberFormat("en-GB", {style: "percent", maximumFractionDigits: 1});

/** How bar lengths are drawn: pounds, pounds on a log axis (small values stay visible), or share of the total. */
export type BarScale = "linear" | "log" | "share";

export interface RankedBarsOptions {
  width: number;
  /** The figure's `data-chart` name and title. */
  name: string;
  title: string;
  /** Field holding the bar's label, and the one holding its length. */
  label: string;
  value: string;
  /** Bars shown (the rest are summed into "Other" when `other` is true). Default: 12. */
  limit?: number;
  other?: boolean;
  /** Axis label of the value. Default: "Revenue (£)". */
  valueLabel?: string;
  /** Field whose value `onSelect` receives (default: `label`). */
  key?: string;
  /** Click-to-filter: called with the clicked bar's key. */
  onSelect?: (key: string) => void;
  /** Keys currently selected (drawn in the accent colour, the others muted). */
  selected?: readonly string[];
  scale?: BarScale;
  /** A badge after a bar's label (e.g. "95% returned"). */
  note?: (row: Record<string, unknown>) => string | null;
}

/** Horizontal bars, longest first: revenue by country, top products, … */
export function rankedBars(data: readonly Record<string, unknown>[], options: RankedBarsOptions): HTMLElement {
  const {
    width: containerWidth,
    name,
    title,
    label,
    value,
    limit = 12,
    other = false,
    valueLabel = "Revenue (£)",
    onSelect,
    selected = [],
    scale = "linear",
    note
  } = options;
  const key = options.key ?? label;
  const width = chartWidth(containerWidth);
  const sorted = [...data].sort((a, b) => (b[value] as number) - (a[value] as number));
  const total = sorted.reduce((sum, row) => sum + Math.max(0, row[value] as number), 0);
  let rows = sorted.slice(0, limit);
  if (other && sorted.length > limit) {
    const rest = sorted.slice(limit).reduce((sum, row) => sum + (row[value] as number), 0);
    rows = [...rows, {[label]: `Other (${sorted.length - limit})`, [value]: rest, __other: true}];
  }
  const text = (row: Record<string, unknown>) => {
    const extra = note?.(row);
    return extra ? `${row[label]} · ${extra}` : String(row[label]);
  };
  const length = (row: Record<string, unknown>) => {
    const v = row[value] as number;
    return scale === "share" ? (total ? v / total : 0) : scale === "log" ? Math.max(v, 1) : v;
  };
  const chosen = new Set(selected);
  const fill = (row: Record<string, unknown>) =>
    row.__other
      ? "var(--theme-foreground-faint)"
      : chosen.size === 0 || chosen.has(String(row[key]))
        ? "var(--theme-foreground-focus)"
        : "var(--theme-foreground-faint)";
  const maxLabel = Math.max(...rows.map((row) => text(row).length), 4);
  const marginLeft = Math.min(Math.floor(width * 0.45), width - 140, 7 * maxLabel + 10);
  // Labels longer than the margin end in "…" (the tip shows them whole).
  const fits = Math.max(4, Math.floor((marginLeft - 10) / 6));
  const chart =
    rows.length === 0
      ? null
      : Plot.plot({
          width,
          height: 24 * rows.length + 40,
          marginLeft,
          marginRight: 60,
          x:
            scale === "log"
              ? {type: "log", grid: true, label: `${valueLabel}, log scale`, tickFormat: "~s"}
              : scale === "share"
                ? {grid: true, label: "Share of the total", tickFormat: "%"}
                : {grid: true, label: valueLabel, tickFormat: "~s"},
          y: {label: null, domain: rows.map(text), tickFormat: (t: string) => (t.length > fits ? `${t.slice(0, fits - 1)}…` : t)},
          marks: [
            Plot.barX(rows, {
              x1: scale === "log" ? 1 : 0,
              x2: length,
              y: text,
              fill,
              tip: {format: {x1: false, x2: false, fill: false}},
              channels: {
                Name: text,
                [valueLabel]: (row: Record<string, unknown>) => compact.format(row[value] as number),
                Share: (row: Record<string, unknown>) => share.format(total ? (row[value] as number) / total : 0)
              }
            }),
            Plot.text(rows, {
              x: length,
              y: text,
              text: (row: Record<string, unknown>) =>
                scale === "share" ? share.format(total ? (row[value] as number) / total : 0) : compact.format(row[value] as number),
              dx: 4,
              textAnchor: "start",
              fill: "currentColor"
            }),
            Plot.ruleX([scale === "log" ? 1 : 0])
          ]
        });
  const root = figure(name, title, chart);
  if (chart && onSelect) {
    const keys = rows.map((row) => (row.__other ? undefined : String(row[key])));
    clickable(chart, "bar", keys as string[], onSelect, selected);
    root.dataset.clickable = "true";
  }
  return root;
}
