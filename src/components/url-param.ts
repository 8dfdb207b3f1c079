/**
 * One input kept in one query parameter (`?customer=12347`, `?scope=Germany`), like the filter bar's
 * state: a change pushes a history entry, back/forward restore the input, a reload or a shared link opens
 * the same view. Other parameters are left as they are.
 *
 *   const scope = view(bindUrlParam(Inputs.select(scopes, {value: parse(getParam(location.search, "scope"))}),
 *     {name: "scope", parse, format: (scope) => scope === "All countries" ? null : scope}));
 */
import {onPopState} from "./popstate.js";
import {getParam, setParam} from "./url-state.js";

export interface UrlParamOptions<T> {
  /** The query parameter. */
  name: string;
  /** The parameter's text (null if absent) → the input's value; must accept anything a person may type in a URL. */
  parse: (text: string | null) => T;
  /** The input's value → the parameter's text; null or "" leaves the parameter out (use it for the default). */
  format: (value: T) => string | null;
  /**
   * Milliseconds a value must stay unchanged before it becomes a history entry, so dragging a slider makes
   * one entry, not fifty. Default: 0 (every change).
   */
  delay?: number;
  /** The cell's `invalidation` promise, to stop following back/forward when the cell re-runs (see popstate.ts). */
  invalidation?: Promise<unknown>;
}

/** Binds `input` (anything with a `value` that dispatches `input` events) to a query parameter; returns it. */
export function bindUrlParam<T, E extends HTMLElement & {value: T}>(input: E, {name, parse, format, delay = 0, invalidation}: UrlParamOptions<T>): E {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    const text = format(input.value) || null;
    if (text === getParam(location.search, name)) return;
    history.pushState(history.state, "", `${location.pathname}${setParam(location.search, name, text)}${location.hash}`);
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    if (delay > 0) timer = setTimeout(write, delay);
    else write();
  });
  onPopState(
    input,
    () => {
      clearTimeout(timer);
      const value = parse(getParam(location.search, name));
      if ((format(value) || null) === (format(input.value) || null)) return;
      input.value = value;
      input.dispatchEvent(new Event("input", {bubbles: true}));
    },
    {invalidation}
  );
  return input;
}
