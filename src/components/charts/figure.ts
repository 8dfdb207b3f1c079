import {html} from "htl";

/**
 * Wraps a chart in a `<figure data-chart=name>` with a title, so pages, tests and screenshots can find it;
 * shows `empty` instead of a blank plot when there is nothing to draw.
 */
export function figure(name: string, title: string, chart: Element | null, {empty = "No sales match the filters."} = {}): HTMLElement {
  return html`<figure class="chart" data-chart=${name}><h3>${title}</h3>${chart ?? html`<p class="empty">${empty}</p>`}</figure>`;
}
