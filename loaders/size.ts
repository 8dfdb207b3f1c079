/** A DuckDB memory size such as "2GB" (1000³ bytes) or "2GiB" (1024³): the number and the unit. */
export const MEMORY_SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** Bytes in a DuckDB memory size (MEMORY_SIZE). */
export function sizeInBytes(size: string): number {
  const match = MEMORY_SIZE.exec(size.trim());
  if (!match) throw new Error(`invalid memory size; expected a size such as "2GB": ${JSON.stringify(size)}`);
  const unit = match[2].toUpperCase();
  const power = ["B", "K", "M", "G", "T"].indexOf(unit[0]);
  return Number(match[1]) * (unit.includes("I") ? 1024 : 1000) ** power;
}
