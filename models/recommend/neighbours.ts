import type {Csr} from "./sparse.js";
import {transpose} from "./sparse.js";

/**
 * Item-item cosine similarity over who bought what (binary), keeping each item's `k` most similar items:
 * sim(i, j) = |buyers(i) ∩ buyers(j)| / √(|buyers(i)|·|buyers(j)|). Computed one item at a time into a
 * dense row, so memory stays O(items·k).
 */
export interface Neighbours {
  k: number;
  /** items × k, most similar first; −1 pads an item with fewer neighbours. */
  index: Int32Array;
  similarity: Float64Array;
}

export function itemNeighbours(userItems: Csr, k: number, minCommon = 2): Neighbours {
  if (!Number.isInteger(k) || k < 1) throw new Error(`invalid k; not a positive integer: ${k}`);
  const items = userItems.cols;
  const itemUsers = transpose(userItems);
  const buyers = new Float64Array(items);
  for (let i = 0; i < items; i++) buyers[i] = itemUsers.offsets[i + 1] - itemUsers.offsets[i];
  const index = new Int32Array(items * k).fill(-1);
  const similarity = new Float64Array(items * k);
  const common = new Float64Array(items);
  const touched = new Int32Array(items);
  for (let i = 0; i < items; i++) {
    let count = 0;
    for (let e = itemUsers.offsets[i]; e < itemUsers.offsets[i + 1]; e++) {
      const user = itemUsers.columns[e];
      for (let f = userItems.offsets[user]; f < userItems.offsets[user + 1]; f++) {
        const j = userItems.columns[f];
        if (j === i) continue;
        if (common[j] === 0) touched[count++] = j;
        common[j]++;
      }
    }
    // Keep the k best by similarity (ties: lower item index), with a small insertion list.
    const base = i * k;
    let kept = 0;
    for (let t = 0; t < count; t++) {
      const j = touched[t];
      const shared = common[j];
      common[j] = 0;
      if (shared < minCommon) continue;
      const sim = shared / Math.sqrt(buyers[i] * buyers[j]);
      if (kept === k && !better(sim, j, similarity[base + k - 1], index[base + k - 1])) continue;
      let at = kept < k ? kept++ : k - 1;
      while (at > 0 && better(sim, j, similarity[base + at - 1], index[base + at - 1])) {
        similarity[base + at] = similarity[base + at - 1];
        index[base + at] = index[base + at - 1];
        at--;
      }
      similarity[base + at] = sim;
      index[base + at] = j;
    }
  }
  return {k, index, similarity};
}

function better(sim: number, j: number, otherSim: number, otherJ: number): boolean {
  return sim > otherSim || (sim === otherSim && j < otherJ);
}
