import * as Plot from "../vendor/plot.js";
import {chartWidth, figure} from "./figure.js";

export interface SegmentScatterOptions {
  width: number;
  /** Fields of each point (and centroid) to plot across and up, with their axis labels. */
  x: string;
  y: string;
  xLabel: string;
  yLabel: string;
  /** Segment names in colour order. */
  segments: readonly string[];
  /** Field holding a point's segment. Default: "segment". */
  segment?: string;
  /** Centroids drawn on top (same fields), labelled with their segment. */
  centroids?: readonly Record<string, unknown>[];
  name?: string;
  title?: string;
}

/** Customers as dots in two of the clustering coordinates, coloured by segment, with the centroids. */
export function segmentScatter(points: readonly Record<string, unknown>[], options: SegmentScatterOptions): HTMLElement {
  const {x, y, xLabel, yLabel, segments, segment = "segment", centroids = [], name = "segment-scatter", title = "Customers by segment"} = options;
  const width = chartWidth(options.width);
  return figure(
    name,
    title,
    points.length === 0
      ? null
      : Plot.plot({
          width,
          height: Math.min(560, Math.round(width * 0.7)),
          grid: true,
          x: {label: xLabel},
          y: {label: yLabel},
          color: {type: "ordinal", domain: segments as string[], scheme: "tableau10", legend: true},
          marks: [
            Plot.dot(points, {x, y, fill: segment, r: 2, fillOpacity: 0.45, tip: true, channels: {Customer: "customer_id"}}),
            Plot.dot(centroids, {x, y, fill: segment, r: 8, stroke: "var(--theme-background)", strokeWidth: 2, symbol: "diamond"}),
            Plot.text(centroids, {
              x,
              y,
              text: segment,
              dy: -14,
              fontWeight: 600,
              stroke: "var(--theme-background)",
              strokeWidth: 3,
              paintOrder: "stroke",
              fill: "var(--theme-foreground)"
            })
          ]
        }),
    {empty: "No customers."}
  );
}
