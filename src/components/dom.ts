/**
 * Elements built directly, for what a page redraws on every filter change (leaderboard rows, KPI cards):
 * htl's `html` parses its template as HTML on every call, which cost a filter change about 30 ms on the
 * Overview. Use `html` everywhere else; it reads better.
 *
 *   h("td", {class: "number", "data-value": "12"}, "£12.00")
 *
 * Attributes: strings are set as they are, `true` as an empty attribute; null, undefined and false are
 * left out. Children: nodes, strings (as text), and null/undefined/false (skipped); arrays are flattened.
 */
export type Child = Node | string | null | undefined | false | readonly Child[];

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | null | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

/** The same for SVG elements (attributes as strings). */
export function svgElement(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  append(element, children);
  return element;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (typeof child === "string") parent.appendChild(document.createTextNode(child));
    else if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child as Node);
  }
}
