/**
 * Customer ids in the site: reading one typed by a person or found in a URL (`?id=12347`), and linking to
 * the Customer lookup page from any table. Pure functions (unit-tested in Node) except `customerLink`.
 */
import {html} from "htl";

/** The lookup page, relative to any page of the site (every page sits at the root). */
export const LOOKUP_PATH = "./customer";

/** The lookup page's address for a customer. */
export function customerHref(id: number): string {
  return `${LOOKUP_PATH}?id=${encodeURIComponent(String(id))}`;
}

/** A link to the lookup page showing the id (use it as a table cell's format). */
export function customerLink(id: number | null | undefined): HTMLElement | string {
  if (id === null || id === undefined) return "";
  return html`<a href=${customerHref(id)} data-customer=${String(id)}>${String(id)}</a>` as HTMLElement;
}

export type ParsedCustomerId = {ok: true; id: number} | {ok: false; error: string};

/**
 * A customer id from text: whole numbers, with or without a trailing `.0` (the raw data writes `17850.0`)
 * and surrounding spaces. Anything else is refused with a message naming the text.
 */
export function parseCustomerId(text: string): ParsedCustomerId {
  const trimmed = text.trim();
  const match = /^(\d{1,9})(?:\.0+)?$/.exec(trimmed);
  if (!match) {
    return {ok: false, error: `${JSON.stringify(trimmed)} is not a customer id: ids are whole numbers such as 12347.`};
  }
  return {ok: true, id: Number(match[1])};
}

/**
 * What to tell someone whose id is well formed but unknown: the range of ids, and the known ids nearest
 * to theirs (a typo is often one digit off). `known` must be sorted ascending.
 */
export function unknownCustomerMessage(id: number, known: readonly number[], {suggestions = 3} = {}): string {
  if (known.length === 0) return `No customer ${id}: the data has no identified customers.`;
  const nearest = [...known]
    .sort((a, b) => Math.abs(a - id) - Math.abs(b - id) || a - b)
    .slice(0, suggestions)
    .sort((a, b) => a - b);
  return (
    `No customer ${id} in the data: ids run from ${known[0]} to ${known[known.length - 1]} ` +
    `(${known.length.toLocaleString("en-GB")} customers with a purchase). Nearest ids: ${nearest.join(", ")}. ` +
    "Check the number, or find a customer in the at-risk table of the Churn page."
  );
}
