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

/**
 * Paces work that follows an input, such as a DuckDB query per filter change. A call that comes `delay`
 * ms or more after the previous one (or the first call) resolves as soon as the browser is idle, so a
 * single change queries once its charts are drawn. A call that follows the previous one sooner (someone
 * clicking through countries) resolves only once the input has been still for `delay` ms: the queries for
 * the selections passed over never start, and the worker is free while the charts redraw. A call whose
 * cell is invalidated first never resolves.
 *
 *   const pace = paced();                                     // in a cell that does not re-run
 *   const rows = pace(invalidation).then(() => query(…));     // in the cell that reads the filter
 */
export function paced(delay = 150): (invalidation?: Promise<unknown>) => Promise<void> {
  if (!(delay >= 0)) throw new Error(`invalid delay; not a non-negative number of milliseconds: ${delay}`);
  let previous = -Infinity;
  return (invalidation) => {
    const now = performance.now();
    const rapid = now - previous < delay;
    previous = now;
    let invalidated = false;
    invalidation?.then(() => (invalidated = true));
    return new Promise<void>((resolve) => {
      const start = () => idle().then(() => invalidated || resolve());
      if (!rapid) return void start();
      const timer = setTimeout(start, delay);
      invalidation?.then(() => clearTimeout(timer));
    });
  };
}
