/** Ranking metrics of top-k lists against the items each user actually bought later. */

export interface RankingScore {
  precision: number;
  recall: number;
  /** Users evaluated. */
  users: number;
}

/**
 * Mean precision@k (hits / k) and recall@k (hits / relevant items) over the users that have at least one
 * relevant item; a list shorter than k still divides by k.
 */
export function precisionRecallAtK(lists: ReadonlyMap<number, readonly number[]>, relevant: readonly Set<number>[], k: number): RankingScore {
  let precision = 0;
  let recall = 0;
  let users = 0;
  for (const [user, list] of lists) {
    const wanted = relevant[user];
    if (!wanted || wanted.size === 0) continue;
    let hits = 0;
    for (let r = 0; r < Math.min(k, list.length); r++) if (wanted.has(list[r])) hits++;
    precision += hits / k;
    recall += hits / wanted.size;
    users++;
  }
  return {precision: users ? precision / users : Number.NaN, recall: users ? recall / users : Number.NaN, users};
}

/**
 * The `k` highest-scoring candidates (ties: lower index first), skipping those `exclude` rejects and
 * scores that are not finite. A heap of the k best so far, worst on top: a candidate that does not beat the
 * worst costs one comparison, one that does costs log k (a sorted list paid up to k moves, which was half
 * of ranking a customer against the catalogue with k = 50).
 */
export function topK(scores: ArrayLike<number>, k: number, exclude?: (item: number) => boolean): number[] {
  const heap: number[] = [];
  if (!(k >= 1)) return heap;
  // `a` ranks below `b`: a lower score, or the same score and a higher index.
  const below = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (!Number.isFinite(score) || (exclude && exclude(i))) continue;
    if (heap.length < k) {
      let at = heap.push(i) - 1;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!below(i, heap[parent]!)) break;
        heap[at] = heap[parent]!;
        at = parent;
      }
      heap[at] = i;
    } else if (score > scores[heap[0]!]!) {
      // A later index with the worst's score ranks below it: only a higher score enters.
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= k) break;
        const right = left + 1;
        const child = right < k && below(heap[right]!, heap[left]!) ? right : left;
        if (!below(heap[child]!, i)) break;
        heap[at] = heap[child]!;
        at = child;
      }
      heap[at] = i;
    }
  }
  return heap.sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0));
}
