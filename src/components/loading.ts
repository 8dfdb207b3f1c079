import {html} from "htl";

/**
 * An element that says `message` until `promise` settles, then shows `render(value)` — or the error, in
 * place. Lets a page draw its fast charts at once and fill in the ones that wait for DuckDB-WASM.
 */
export function whenReady<T>(promise: Promise<T>, render: (value: T) => Node, {message = "Loading…"}: {message?: string} = {}): HTMLElement {
  const slot = html`<div class="pending"><p class="loading">${message}</p></div>` as HTMLElement;
  promise.then(
    (value) => slot.replaceChildren(render(value)),
    (error) => slot.replaceChildren(html`<p class="sql-error" role="alert">${(error as Error)?.message ?? String(error)}</p>`)
  );
  return slot;
}

/** Resolves once the browser is idle (after the first charts are drawn), or after `timeout` ms. */
export function idle(timeout = 300): Promise<void> {
  return new Promise((resolve) => (typeof requestIdleCallback === "function" ? requestIdleCallback(() => resolve(), {timeout}) : setTimeout(resolve, 1)));
}
