/**
 * Matches cancellation lines to the purchases they cancel, so revenue can be reported net of returns.
 *
 * Rule: a cancellation cancels units of earlier purchases (at or before its time) of the same customer
 * and product, the most recent purchase first, never more units than a purchase had left. Units that
 * find no purchase stay unmatched (bought before the data starts, or without a customer id).
 */

export interface Purchase {
  id: number;
  customer: number;
  product: string;
  /** Comparable time, e.g. epoch milliseconds. */
  time: number;
  quantity: number;
}

export interface Cancellation {
  id: number;
  customer: number;
  product: string;
  time: number;
  /** Units cancelled (positive). */
  quantity: number;
}

export interface ReturnMatch {
  purchase: number;
  cancellation: number;
  quantity: number;
}

export function matchReturns(purchases: readonly Purchase[], cancellations: readonly Cancellation[]): ReturnMatch[] {
  const byKey = new Map<string, {purchase: Purchase; left: number}[]>();
  for (const purchase of purchases) {
    if (!(purchase.quantity > 0)) continue;
    const key = `${purchase.customer}\u0000${purchase.product}`;
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = []));
    group.push({purchase, left: purchase.quantity});
  }
  for (const group of byKey.values()) group.sort((a, b) => a.purchase.time - b.purchase.time || a.purchase.id - b.purchase.id);

  const ordered = [...cancellations].sort((a, b) => a.time - b.time || a.id - b.id);
  const matches: ReturnMatch[] = [];
  for (const cancellation of ordered) {
    const group = byKey.get(`${cancellation.customer}\u0000${cancellation.product}`);
    if (!group) continue;
    let wanted = cancellation.quantity;
    for (let i = lastAtOrBefore(group, cancellation.time); i >= 0 && wanted > 0; i--) {
      const candidate = group[i];
      if (candidate.left === 0) continue;
      const quantity = Math.min(candidate.left, wanted);
      candidate.left -= quantity;
      wanted -= quantity;
      matches.push({purchase: candidate.purchase.id, cancellation: cancellation.id, quantity});
    }
  }
  return matches.sort((a, b) => a.purchase - b.purchase || a.cancellation - b.cancellation);
}

/** Index of the last purchase at or before `time` (purchases sorted by time), or -1. */
function lastAtOrBefore(group: readonly {purchase: Purchase}[], time: number): number {
  let low = 0;
  let high = group.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (group[middle].purchase.time <= time) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
