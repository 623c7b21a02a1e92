/**
 * Thins a series to at most about `2 * buckets` points for drawing: the time span is cut into
 * `buckets` equal buckets and each keeps its highest point and its last point, in time order, so
 * that spikes and the value at the end of each bucket survive. Series at or under the bound are
 * returned as they are. `t` must be in ascending order.
 */
export function thinSeries(
  t: readonly number[],
  v: readonly number[],
  buckets: number,
): { t: number[]; v: number[]; dropped: number } {
  if (t.length <= 2 * buckets) return { t: [...t], v: [...v], dropped: 0 };
  const from = t[0]!;
  const span = t[t.length - 1]! - from || 1;
  const outT: number[] = [];
  const outV: number[] = [];
  let bucket = -1;
  let maxIndex = -1;
  let lastIndex = -1;
  const flush = (): void => {
    if (lastIndex < 0) return;
    if (maxIndex !== lastIndex) {
      outT.push(t[maxIndex]!);
      outV.push(v[maxIndex]!);
    }
    outT.push(t[lastIndex]!);
    outV.push(v[lastIndex]!);
  };
  for (let i = 0; i < t.length; i++) {
    const b = Math.min(buckets - 1, Math.floor(((t[i]! - from) / span) * buckets));
    if (b !== bucket) {
      flush();
      bucket = b;
      maxIndex = i;
    } else if (v[i]! > v[maxIndex]!) maxIndex = i;
    lastIndex = i;
  }
  flush();
  return { t: outT, v: outV, dropped: t.length - outT.length };
}
