import * as Plot from "../vendor/plot.js";
import {chartWidth, figure} from "./figure.js";

/** One cell of the R × F grid: its scores, the segment the grid rule gives it, and its customers. */
export interface RfmCell {
  r_score: number;
  f_score: number;
  segment: string;
  customers: number;
  revenue: number;
}

export interface RfmGridOptions {
  width: number;
  /** Segment names in legend order (best first); they get the colours in this order. */
  segments: readonly string[];
  /** The figure's `data-chart` name and title. Default: "rfm-grid", "RFM grid: …". */
  name?: string;
  title?: string;
}

// Tableau 10 (Plot's "tableau10"), listed so each label can take the colour that reads on its cell.
const TABLEAU10 = ["#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949", "#af7aa1", "#ff9da7", "#9c755f", "#bab0ab"];

/** Black or white, whichever contrasts more with a #rrggbb fill (WCAG relative luminance). */
export function labelColour(fill: string): "black" | "white" {
  const channel = (i: number) => {
    const c = parseInt(fill.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? "black" : "white";
}

/**
 * The classic RFM map: recency score across (5 = most recent, right), frequency score up (5 = most
 * frequent, top), each cell coloured by its segment and labelled with its customers.
 */
export function rfmGrid(cells: readonly RfmCell[], options: RfmGridOptions): HTMLElement {
  const {segments, name = "rfm-grid", title = "RFM grid: customers by recency and frequency score, coloured by segment"} = options;
  const width = Math.min(chartWidth(options.width), 720);
  const scores = [1, 2, 3, 4, 5];
  const colourOf = new Map(segments.map((segment, i) => [segment, TABLEAU10[i % TABLEAU10.length]!]));
  const ink = (d: RfmCell) => labelColour(colourOf.get(d.segment) ?? "#bab0ab");
  return figure(
    name,
    title,
    cells.length === 0
      ? null
      : Plot.plot({
          width,
          height: Math.round(width * 0.62) + 40,
          marginLeft: 50,
          marginBottom: 40,
          padding: 0.04,
          x: {type: "band", domain: scores, label: "Recency score (5 = bought most recently) →"},
          y: {type: "band", domain: [...scores].reverse(), label: "↑ Frequency score"},
          color: {type: "ordinal", domain: segments, range: segments.map((segment) => colourOf.get(segment)!), legend: true},
          marks: [
            Plot.cell(cells, {
              x: "r_score",
              y: "f_score",
              fill: "segment",
              stroke: "var(--theme-background)",
              channels: {Segment: "segment", Customers: "customers", Revenue: (d: RfmCell) => `£${Math.round(d.revenue).toLocaleString("en-GB")}`},
              tip: {format: {x: true, y: true, fill: false}}
            }),
            Plot.text(cells, {
              x: "r_score",
              y: "f_score",
              text: (d: RfmCell) => d.customers.toLocaleString("en-GB"),
              fill: ink,
              fontWeight: 600,
              fontSize: 13,
              lineAnchor: "bottom",
              dy: 2
            }),
            Plot.text(cells, {
              x: "r_score",
              y: "f_score",
              text: "segment",
              fill: ink,
              fontSize: 9.5,
              lineAnchor: "top",
              dy: 4,
              lineWidth: Math.max(4, ((width - 70) / 5 - 10) / 9.5)
            })
          ]
        })
  );
}
