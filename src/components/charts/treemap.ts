import * as d3 from "d3";
import {labelColour} from "./rfm-grid.js";
import {html, svg} from "htl";
import {chartWidth, figure} from "./figure.js";

export interface TreemapOptions {
  width: number;
  /** Height in pixels. Default: 360. */
  height?: number;
  /** The figure's `data-chart` name and title. */
  name: string;
  title: string;
  /** Field holding each tile's label, and the one holding its size (non-negative). */
  label: string;
  value: string;
  /** Labels in colour order (default: as they come); colours from the tableau10 scheme, as Plot's. */
  colorDomain?: readonly string[];
  /** Text for a tile's value. Default: the number in en-GB. */
  format?: (value: number) => string;
}

/**
 * Tiles sized by a value (segments by customers or revenue): d3's squarified treemap drawn as SVG, each
 * tile `data-label`led and titled with its value and share.
 */
export function treemap(rows: readonly Record<string, unknown>[], options: TreemapOptions): HTMLElement {
  const {height = 360, name, title, label, value, format = (v: number) => v.toLocaleString("en-GB")} = options;
  const width = chartWidth(options.width);
  const data = rows.filter((row) => Number(row[value]) > 0);
  if (data.length === 0) return figure(name, title, null, {empty: "Nothing to show."});
  const total = d3.sum(data, (row: Record<string, unknown>) => Number(row[value]));
  const color = d3.scaleOrdinal(options.colorDomain ?? data.map((row) => String(row[label])), d3.schemeTableau10);
  const root = d3.treemap().size([width, height]).paddingInner(2).round(true)(
    d3
      .hierarchy({children: data})
      .sum((node: Record<string, unknown>) => Number(node[value] ?? 0))
      .sort((a: {value: number}, b: {value: number}) => b.value - a.value)
  );
  const percent = (v: number) => `${((100 * v) / total).toFixed(1)}%`;
  const tiles = root.leaves().map((leaf: {x0: number; x1: number; y0: number; y1: number; data: Record<string, unknown>}) => {
    const tileLabel = String(leaf.data[label]);
    const tileValue = Number(leaf.data[value]);
    const w = leaf.x1 - leaf.x0;
    const h = leaf.y1 - leaf.y0;
    // A label is drawn only where it fits its tile (about 7 px a character in 12 px bold; 6 in 11 px).
    const valueText = `${format(tileValue)} · ${percent(tileValue)}`;
    const fits = h > 34 && w > 12 + Math.max(7 * tileLabel.length, 6 * valueText.length);
    return svg`<g transform="translate(${leaf.x0},${leaf.y0})" data-label=${tileLabel} data-value=${String(tileValue)}>
      <title>${tileLabel}: ${format(tileValue)} (${percent(tileValue)})</title>
      <rect width=${w} height=${h} fill=${color(tileLabel)}></rect>
      ${
        fits
          ? svg`<text x="6" y="16" fill=${labelColour(color(tileLabel))} font-weight="600" font-size="12">${tileLabel}</text>
      <text x="6" y="30" fill=${labelColour(color(tileLabel))} font-size="11">${valueText}</text>`
          : null
      }
    </g>`;
  });
  return figure(
    name,
    title,
    html`<svg class="treemap" width=${width} height=${height} viewBox="0 0 ${width} ${height}" style="max-width:100%;height:auto;font-family:var(--sans-serif)">${tiles}</svg>`
  );
}
