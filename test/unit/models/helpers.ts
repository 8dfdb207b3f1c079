export {gaussian, mulberry32} from "../../../models/random.js";

export function sigmoidOf(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
