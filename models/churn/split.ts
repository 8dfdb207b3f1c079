import {mulberry32, shuffle} from "../random.js";

/**
 * A stratified random hold-out: within each class, a seeded shuffle puts round(share × class size) cases
 * in the hold-out, so both parts keep the class balance. Returns sorted case indices.
 */
export function stratifiedSplit(labels: ArrayLike<number>, share: number, seed: number): {train: number[]; holdout: number[]} {
  if (!(share > 0 && share < 1)) throw new Error(`invalid hold-out share; not between 0 and 1: ${share}`);
  const random = mulberry32(seed);
  const train: number[] = [];
  const holdout: number[] = [];
  for (const label of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === label) members.push(i);
    shuffle(members, random);
    const held = Math.round(share * members.length);
    holdout.push(...members.slice(0, held));
    train.push(...members.slice(held));
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`invalid label at ${i}; expected 0 or 1: ${labels[i]}`);
  }
  return {train: train.sort((a, b) => a - b), holdout: holdout.sort((a, b) => a - b)};
}
