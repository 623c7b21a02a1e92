/**
 * JSON for output: bigints become numbers when they are safe integers, decimal strings
 * otherwise; everything else is kept as is.
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) out[key] = toJsonValue(inner);
    }
    return out;
  }
  return value;
}

/** `JSON.stringify` that understands bigint (see {@link toJsonValue}). */
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(toJsonValue(value), null, space);
}
