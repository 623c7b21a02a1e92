import { createHash } from 'node:crypto';
import type { EngineConfig } from '../../engine/config.ts';

/**
 * SHA-256 (hex) of an engine configuration in a canonical form: object keys sorted, bigints as
 * `<digits>n`, `undefined` members left out. Two configurations with the same hash give the same
 * engine; a snapshot made under another hash is not restored.
 */
export function toEngineConfigHash(config: EngineConfig): string {
  return createHash('sha256').update(toCanonicalJson(config)).digest('hex');
}

function toCanonicalJson(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(`${value}n`);
  if (Array.isArray(value)) return `[${value.map(toCanonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${toCanonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
