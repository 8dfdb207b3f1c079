/**
 * Option validation shared by the models: each check returns the value when it is valid and otherwise
 * throws naming the option and showing the bad value, Plot-style (`invalid k; not a positive integer: 0`).
 */

const show = (value: unknown) => (typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? JSON.stringify(value) : String(value));

export function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new Error(`invalid ${name}; not a positive integer: ${show(value)}`);
  return value;
}

export function integerAtLeast(name: string, value: unknown, least: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < least)
    throw new Error(`invalid ${name}; not an integer of at least ${least}: ${show(value)}`);
  return value;
}

export function integerBetween(name: string, value: unknown, low: number, high: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < low || value > high) {
    throw new Error(`invalid ${name}; not an integer from ${low} to ${high}: ${show(value)}`);
  }
  return value;
}

export function positiveNumber(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) throw new Error(`invalid ${name}; not a positive number: ${show(value)}`);
  return value;
}

export function nonNegativeNumber(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) throw new Error(`invalid ${name}; not a non-negative number: ${show(value)}`);
  return value;
}

export function numberAbove(name: string, value: unknown, least: number): number {
  if (typeof value !== "number" || !(value > least) || !Number.isFinite(value)) throw new Error(`invalid ${name}; not a number above ${least}: ${show(value)}`);
  return value;
}

/** A number in [low, high] (or in (low, high) when `exclusive`). */
export function numberBetween(name: string, value: unknown, low: number, high: number, exclusive = false): number {
  const inside = typeof value === "number" && (exclusive ? value > low && value < high : value >= low && value <= high);
  if (!inside)
    throw new Error(`invalid ${name}; not a number ${exclusive ? "strictly between" : "from"} ${low} ${exclusive ? "and" : "to"} ${high}: ${show(value)}`);
  return value as number;
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new Error(`invalid ${name}; expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}: ${show(value)}`);
  return value as T;
}

export function boolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new Error(`invalid ${name}; not true or false: ${show(value)}`);
  return value;
}

/** An integer seed (any sign). */
export function seed(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new Error(`invalid ${name}; not an integer: ${show(value)}`);
  return value;
}

/**
 * `options` merged over `defaults`, each value checked by its validator; a key that is not an option is
 * refused with the known ones (a misspelt option must not be ignored silently). `undefined` means default.
 */
export function withDefaults<Options extends object>(
  model: string,
  defaults: Readonly<Required<Options>>,
  options: Partial<Options> | undefined,
  validate: {[K in keyof Options]-?: (name: string, value: unknown) => unknown}
): Required<Options> {
  const merged = {...defaults} as Required<Options>;
  for (const [key, value] of Object.entries(options ?? {})) {
    if (!(key in defaults)) throw new Error(`invalid ${model} option; unknown: ${key} (options: ${Object.keys(defaults).join(", ")})`);
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  for (const key of Object.keys(defaults) as (keyof Options & string)[]) validate[key](key, merged[key]);
  return merged;
}
