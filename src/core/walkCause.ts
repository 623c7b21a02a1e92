/**
 * Walks the `cause` chain of `error` (cycles stop the walk): returns the deepest error, or with
 * `fn` the first error for which `fn` is true (undefined when none is).
 */
export function walkCause(error: unknown, fn?: (error: unknown) => boolean): unknown {
  let current: unknown = error;
  const seen = new Set<unknown>();
  while (current !== undefined && current !== null && !seen.has(current)) {
    if (fn?.(current)) return current;
    seen.add(current);
    const next: unknown = (current as { cause?: unknown }).cause;
    if (next === undefined || next === null) return fn ? undefined : current;
    current = next;
  }
  return fn ? undefined : current;
}
