/**
 * A list-valued input (a multiple select, checkboxes) kept in the address bar under one parameter,
 * repeated per value: `?segment=At+risk&segment=Hibernating`. A change pushes a history entry; back and
 * forward restore the input; a reload or a shared link opens the same selection. Values the input does
 * not offer (an old or mistyped link) are dropped. Other parameters are left as they are.
 *
 *   const segments = view(urlList((value) => Inputs.select(names, {multiple: true, value}), {name: "segment", options: names}));
 */

import {onPopState} from "./popstate.js";

/** The values of a parameter, in the order of `options`, without unknown values or repeats. */
export function getListParam(search: string, name: string, options: readonly string[]): string[] {
  const values = new Set(new URLSearchParams(search).getAll(name));
  return options.filter((option) => values.has(option));
}

/** Replaces a parameter's values (none: removes it), keeping every other parameter; returns `?…` or "". */
export function setListParam(search: string, name: string, values: readonly string[]): string {
  const params = new URLSearchParams(search);
  params.delete(name);
  for (const value of values) params.append(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export interface UrlListOptions {
  /** The query parameter's name. */
  name: string;
  /** Every value the input offers, in display order. */
  options: readonly string[];
  /** The cell's `invalidation` promise (see popstate.ts). */
  invalidation?: Promise<unknown>;
}

type ListInput = HTMLElement & {value: string[]};

/** Makes the input with its initial value from the URL (`make(initial)`), and keeps the two in step. */
export function urlList<T extends ListInput>(make: (initial: string[]) => T, {name, options, invalidation}: UrlListOptions): T {
  const read = () => getListParam(location.search, name, options);
  const input = make(read());
  input.addEventListener("input", () => {
    const search = setListParam(
      location.search,
      name,
      options.filter((option) => input.value.includes(option))
    );
    if (search !== location.search) history.pushState(history.state, "", `${location.pathname}${search}${location.hash}`);
  });
  onPopState(
    input,
    () => {
      const restored = read();
      const current = options.filter((option) => input.value.includes(option));
      if (restored.length === current.length && restored.every((value, i) => value === current[i])) return;
      input.value = restored;
      input.dispatchEvent(new Event("input", {bubbles: true}));
    },
    {invalidation}
  );
  return input;
}
