import * as Plot from "@observablehq/plot";
import {chartWidth, figure} from "./figure.js";

// One formatter, not one per bar (labels are computed on every redraw).
const compact = new Intl.NumberFormat("en-GB", {notation: "compact", maximumFractionDigits: 1});

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
}

/** Horizontal bars, longest first: revenue by country, top products, … */
export function rankedBars(data: readonly Record<string, unknown>[], options: RankedBarsOptions): HTMLElement {
  const {width: containerWidth, name, title, label, value, limit = 12, other = false, valueLabel = "Revenue (£)"} = options;
  const width = chartWidth(containerWidth);
  const sorted = [...data].sort((a, b) => (b[value] as number) - (a[value] as number));
  let rows = sorted.slice(0, limit);
  if (other && sorted.length > limit) {
    const rest = sorted.slice(limit).reduce((sum, row) => sum + (row[value] as number), 0);
    rows = [...rows, {[label]: `Other (${sorted.length - limit})`, [value]: rest}];
  }
  const maxLabel = Math.max(...rows.map((row) => String(row[label]).length), 4);
  return figure(name, title, rows.length === 0 ? null : Plot.plot({
    width, height: 24 * rows.length + 40,
    marginLeft: Math.min(Math.floor(width * 0.4), width - 140, 7 * maxLabel + 10), marginRight: 60,
    x: {grid: true, label: valueLabel, tickFormat: "~s"},
    y: {label: null, domain: rows.map((row) => String(row[label]))},
    marks: [
      Plot.barX(rows, {x: value, y: (row: Record<string, unknown>) => String(row[label]), fill: "var(--theme-foreground-focus)", tip: true}),
      Plot.text(rows, {x: value, y: (row: Record<string, unknown>) => String(row[label]), text: (row: Record<string, unknown>) => compact.format(row[value] as number), dx: 4, textAnchor: "start"}),
      Plot.ruleX([0])
    ]
  }));
}
