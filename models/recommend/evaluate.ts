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

/** The `k` highest-scoring candidates (ties: lower index first), skipping those `exclude` rejects. */
export function topK(scores: ArrayLike<number>, k: number, exclude?: (item: number) => boolean): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (!Number.isFinite(score) || (exclude && exclude(i))) continue;
    if (best.length === k && !(score > scores[best[k - 1]])) continue;
    let at = best.length < k ? best.length : k - 1;
    if (best.length < k) best.push(i);
    while (at > 0 && score > scores[best[at - 1]]) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = i;
  }
  return best;
}
