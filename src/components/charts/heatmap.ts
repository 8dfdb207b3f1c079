import * as Plot from "../vendor/plot.js";
import {clickable} from "./clickable.js";
import {chartWidth, figure} from "./figure.js";

const compact = new Intl.NumberFormat("en-GB", {notation: "compact", maximumFractionDigits: 1});
const percent = new Intl.NumberFormat("en-GB", {style: "percent", maximumFractionDigits: 0});

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
  /**
   * Colour each row on its own scale (share of the row's largest cell), so one large row (the UK) does not
   * wash out the others. Default: false (one scale for the whole grid).
   */
  perRow?: boolean;
  /** Click-to-filter: called with the clicked cell's `y` value (e.g. its country). */
  onSelect?: (key: string) => void;
  selected?: readonly string[];
}

/** A grid of cells coloured by value: weekday × hour, country × month, … Cells carry `data-x`, `data-y` and `data-value`. */
export function heatmap(data: readonly Record<string, unknown>[], options: HeatmapOptions): HTMLElement {
  const {
    width: containerWidth,
    name,
    title,
    x,
    y,
    value,
    xDomain,
    yDomain,
    xTickFormat,
    yTickFormat,
    valueLabel = "Revenue (£)",
    perRow = false,
    onSelect,
    selected
  } = options;
  const width = chartWidth(containerWidth);
  const rows = yDomain?.length ?? new Set(data.map((d) => d[y])).size;
  const columns = xDomain ?? [...new Set(data.map((d) => d[x]))].sort();
  const marginLeft = Math.min(120, Math.floor(width * 0.3));
  // Band labels need about 34 px each; show every k-th when the bands are narrower.
  const every = Math.max(1, Math.ceil(34 / ((width - marginLeft - 10) / Math.max(1, columns.length))));
  const rowMax = new Map<unknown, number>();
  if (perRow) for (const d of data) rowMax.set(d[y], Math.max(rowMax.get(d[y]) ?? 0, d[value] as number));
  const cells: readonly Record<string, unknown>[] = perRow
    ? data.map((d) => ({...d, __share: (rowMax.get(d[y]) ?? 0) > 0 ? (d[value] as number) / rowMax.get(d[y])! : 0}))
    : data;
  const chart =
    data.length === 0
      ? null
      : Plot.plot({
          width,
          height: Math.max(120, 22 * rows + 70),
          marginLeft,
          marginBottom: 30,
          padding: 0.05,
          x: {type: "band", domain: columns as unknown[], tickFormat: xTickFormat, ticks: columns.filter((_, i) => i % every === 0) as unknown[], label: null},
          y: {type: "band", domain: yDomain as unknown[] | undefined, tickFormat: yTickFormat, label: null},
          color: perRow
            ? {scheme: "blues", legend: true, label: "Share of the row's best month", domain: [0, 1], tickFormat: "%"}
            : {scheme: "blues", legend: true, label: valueLabel, tickFormat: "~s"},
          marks: [
            Plot.cell(cells, {
              x,
              y,
              fill: perRow ? "__share" : value,
              tip: {format: {fill: false}},
              channels: {
                [valueLabel]: (d: Record<string, unknown>) => compact.format(d[value] as number),
                ...(perRow ? {"Of the row's best": (d: Record<string, unknown>) => percent.format(d.__share as number)} : {})
              }
            })
          ]
        });
  // Each cell carries its exact figures (in the data's order, as Plot draws them), for tests and tools.
  chart?.querySelectorAll('g[aria-label="cell"] rect').forEach((rect, i) => {
    const d = cells[i];
    if (!d) return;
    rect.setAttribute("data-x", String(d[x]));
    rect.setAttribute("data-y", String(d[y]));
    rect.setAttribute("data-value", String(d[value]));
  });
  const root = figure(name, title, chart);
  if (chart && onSelect) {
    clickable(
      chart,
      "cell",
      cells.map((d) => String(d[y])),
      onSelect,
      selected
    );
    root.dataset.clickable = "true";
  }
  return root;
}
