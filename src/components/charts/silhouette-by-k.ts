import * as Plot from "../vendor/plot.js";
import {html} from "htl";
import {chartWidth, figure} from "./figure.js";

/** One row of `segment_silhouettes` for one feature set. */
export interface SilhouetteRow {
  k: number;
  silhouette: number;
  smallest_share: number;
  largest_share: number;
  chosen: boolean;
}

export interface SilhouetteByKOptions {
  width: number;
  /** Smallest segment share a usable segmentation keeps (drawn as a rule). Default: 0.05. */
  minShare?: number;
  name?: string;
  title?: string;
}

/**
 * Why k was chosen: the mean silhouette for each k (higher is better separated) beside the share of the
 * smallest and largest segment (a segment below `minShare` is too small to act on). The chosen k is
 * marked in both.
 */
export function silhouetteByK(rows: readonly SilhouetteRow[], options: SilhouetteByKOptions): HTMLElement {
  const {minShare = 0.05, name = "silhouette-by-k", title = "Silhouette and segment sizes for k = 2…8"} = options;
  if (rows.length === 0) return figure(name, title, null, {empty: "No silhouettes in the snapshot."});
  const width = chartWidth(options.width);
  const half = Math.max(240, Math.floor((width - 24) / 2));
  const chosen = rows.filter((row) => row.chosen);
  const ks = rows.map((row) => row.k);
  const silhouette = Plot.plot({
    width: half,
    height: 260,
    marginLeft: 50,
    grid: true,
    x: {label: "k (segments)", ticks: ks, tickFormat: "d"},
    y: {label: "Mean silhouette", domain: [0, Math.max(0.5, ...rows.map((row) => row.silhouette))]},
    marks: [
      Plot.line(rows, {x: "k", y: "silhouette", stroke: "var(--theme-foreground-focus)"}),
      Plot.dot(rows, {x: "k", y: "silhouette", fill: "var(--theme-foreground-focus)", tip: true}),
      Plot.dot(chosen, {x: "k", y: "silhouette", r: 8, stroke: "var(--theme-red)", strokeWidth: 2}),
      Plot.text(chosen, {x: "k", y: "silhouette", text: (row: SilhouetteRow) => `chosen: k = ${row.k}`, dy: -16, fill: "var(--theme-red)"}),
      Plot.ruleY([0])
    ]
  });
  const shares = rows.flatMap((row) => [
    {k: row.k, share: row.largest_share, which: "Largest segment"},
    {k: row.k, share: row.smallest_share, which: "Smallest segment"}
  ]);
  const sizes = Plot.plot({
    width: half,
    height: 260,
    marginLeft: 50,
    grid: true,
    x: {label: "k (segments)", ticks: ks, tickFormat: "d"},
    y: {label: "Share of customers", tickFormat: "%", domain: [0, 1]},
    color: {legend: true, domain: ["Largest segment", "Smallest segment"], range: ["var(--theme-foreground-muted)", "var(--theme-foreground-focus)"]},
    marks: [
      Plot.ruleY([minShare], {stroke: "var(--theme-red)", strokeDasharray: "4,3"}),
      Plot.text([minShare], {
        y: (d: number) => d,
        frameAnchor: "right",
        text: () => `${Math.round(100 * minShare)}% minimum`,
        dy: -7,
        fill: "var(--theme-red)"
      }),
      Plot.line(shares, {x: "k", y: "share", stroke: "which"}),
      Plot.dot(shares, {x: "k", y: "share", fill: "which", tip: true}),
      Plot.ruleX(chosen, {x: "k", stroke: "var(--theme-red)", strokeOpacity: 0.4})
    ]
  });
  return figure(name, title, html`<div class="chart-pair">${silhouette}${sizes}</div>`);
}
