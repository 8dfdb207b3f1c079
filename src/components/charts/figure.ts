import {html} from "htl";

/**
 * Wraps a chart in a `<figure data-chart=name>` with a title, so pages, tests and screenshots can find it;
 * shows `empty` instead of a blank plot when there is nothing to draw.
 */
export function figure(name: string, title: string, chart: Element | null, {empty = "No sales match the filters."} = {}): HTMLElement {
  return html`<figure class="chart" data-chart=${name}><h3>${title}</h3>${chart ?? html`<p class="empty">${empty}</p>`}</figure>`;
}

/** Charts are drawn at least this wide: a container not laid out yet reports 0, and Plot cannot draw in 0 px. */
export const MIN_CHART_WIDTH = 240;

export function chartWidth(width: number): number {
  return Math.max(MIN_CHART_WIDTH, Math.floor(width || 0));
}
