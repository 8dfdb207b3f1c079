/**
 * The Customer lookup's id box, kept in the address bar (`?id=12347`): looking a customer up pushes a
 * history entry, so a link is shareable, a reload shows the same customer and back/forward step through
 * the customers looked at. Its value is the text as typed (trimmed); the page parses it
 * (parseCustomerId) so a bad id can be explained.
 *
 *   const idText = view(customerIdInput());
 */
import * as Inputs from "@observablehq/inputs";
import {onPopState} from "./popstate.js";
import {getParam, setParam} from "./url-state.js";

export interface CustomerIdInputOptions {
  /** The query parameter. Default: "id". */
  param?: string;
  /** Label of the box. Default: "Customer id". */
  label?: string;
  /** The cell's `invalidation` promise (see popstate.ts). */
  invalidation?: Promise<unknown>;
}

export function customerIdInput({param = "id", label = "Customer id", invalidation}: CustomerIdInputOptions = {}): HTMLElement & {value: string} {
  const fromUrl = () => (getParam(location.search, param) ?? "").trim();
  const input = Inputs.text({label, value: fromUrl(), placeholder: "e.g. 12347", submit: "Look up", spellcheck: false, autocomplete: "off"}) as HTMLElement & {
    value: string;
  };
  input.querySelector("input")?.setAttribute("name", param);
  input.addEventListener("input", () => {
    const value = String(input.value ?? "").trim();
    if (value === fromUrl()) return;
    history.pushState(history.state, "", `${location.pathname}${setParam(location.search, param, value || null)}${location.hash}`);
  });
  onPopState(
    input,
    () => {
      const value = fromUrl();
      if (value === String(input.value ?? "").trim()) return;
      const box = input.querySelector("input");
      if (box) box.value = value;
      input.value = value;
      input.dispatchEvent(new Event("input", {bubbles: true}));
    },
    {invalidation}
  );
  return input;
}
