/**
 * Back/forward for an input kept in the address bar, for as long as its cell lives. A cell that re-runs
 * (a preview edit, a changed input upstream) makes a new input; without this, every run would leave one
 * more global `popstate` listener driving an input no longer on the page.
 *
 * The listener is removed when `invalidation` resolves (Framework's per-cell promise: pass the cell's
 * `invalidation`), and in any case at the first `popstate` after `element` has left the page.
 */
export interface PopStateOptions {
  /** The cell's `invalidation` promise. Default: none (the element's leaving the page ends it). */
  invalidation?: Promise<unknown>;
  /** Where `popstate` is dispatched. Default: window. */
  target?: EventTarget;
}

export function onPopState(
  element: {readonly isConnected: boolean},
  listener: () => void,
  {invalidation, target = globalThis}: PopStateOptions = {}
): () => void {
  let seen = element.isConnected;
  const handle = () => {
    if (element.isConnected) seen = true;
    else if (seen) return remove();
    listener();
  };
  const remove = () => target.removeEventListener("popstate", handle);
  target.addEventListener("popstate", handle);
  invalidation?.then(remove);
  return remove;
}
