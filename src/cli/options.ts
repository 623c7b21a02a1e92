import { usageError } from './errors.ts';

/** Parses a non-negative integer option or fails with a usage error naming it. */
export function toInteger(value: string, name: string): number {
  if (!/^\d+$/.test(value.trim())) throw usageError(`${name} must be a non-negative integer, got "${value}"`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw usageError(`${name} is too large: ${value}`);
  return n;
}

/** Parses a positive number option or fails with a usage error naming it. */
export function toPositiveNumber(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw usageError(`${name} must be a positive number, got "${value}"`);
  return n;
}
