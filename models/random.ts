/**
 * Seeded pseudo-random numbers, so every model is reproducible: the same seed gives the same sequence on
 * every machine. Mulberry32: a small, fast 32-bit generator, good enough for sampling and initialisation
 * (not for cryptography).
 */

/** A generator of numbers in [0, 1). */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first `count` numbers of a seeded sequence (handy for tests and for seeding sub-generators). */
export function mulberry32Sequence(seed: number, count: number): number[] {
  const random = mulberry32(seed);
  return Array.from({length: count}, random);
}

/** An integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Shuffles `array` in place (Fisher–Yates) and returns it. */
export function shuffle<T>(array: T[], random: Random): T[] {
  for (let i = array.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

/** A standard normal variate (Box–Muller). */
export function gaussian(random: Random): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
