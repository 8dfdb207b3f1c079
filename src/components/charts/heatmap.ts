import * as Plot from "@observablehq/plot";
import {chartWidth, figure} from "./figure.js";

export interface HeatmapOptions {
  width: number;
  name: string;
  title: string;
  x: string;
  y: string;
  value: string;
  xDomain?: readonly unknown[];
  yDomain?: readonly unknown[];
  xTickFormat?: (value: any) => string;
  yTickFormat?: (value: any) => string;
  valueLabel?: string;
}

/** A grid of cells coloured by value: weekday × hour, country × month, … */
export function heatmap(data: readonly Record<string, unknown>[], options: HeatmapOptions): HTMLElement {
  const {width: containerWidth, name, title, x, y, value, xDomain, yDomain, xTickFormat, yTickFormat, valueLabel = "Revenue (£)"} = options;
  const width = chartWidth(containerWidth);
  const rows = yDomain?.length ?? new Set(data.map((d) => d[y])).size;
  return figure(name, title, data.length === 0 ? null : Plot.plot({
    width, height: Math.max(120, 22 * rows + 60), marginLeft: 120, padding: 0.05,
    x: {type: "band", domain: xDomain as unknown[] | undefined, tickFormat: xTickFormat, label: null},
    y: {type: "band", domain: yDomain as unknown[] | undefined, tickFormat: yTickFormat, label: null},
    color: {scheme: "blues", legend: true, label: valueLabel, tickFormat: "~s"},
    marks: [Plot.cell(data, {x, y, fill: value, tip: true})]
  }));
}
