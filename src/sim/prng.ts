/**
 * A seeded pseudo-random number generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator, 128-bit state, period at least 2^32), the only source of randomness in the simulator.
 *
 * Seed expansion: the 32-bit seed (and an optional label, hashed to 32 bits with FNV-1a) is run
 * through splitmix32 four times to fill the state words `a, b, c` and the counter `d`; the first
 * 12 outputs are then discarded so that nearby seeds give unrelated streams. A label gives an
 * independent stream per purpose (`proposers`, `network`, `monitor`), so that drawing more numbers
 * for one purpose does not shift another.
 */
export type Prng = {
  /** A uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** A uniform integer in [min, max]. */
  between(min: number, max: number): number;
  /** An exponential variate with the given mean. */
  exponential(mean: number): number;
  /** An index drawn with probability proportional to `weights[i]` (all >= 0, sum > 0). */
  weighted(weights: readonly number[]): number;
};

export function createPrng(seed: number, label = ''): Prng {
  let s = (seed ^ fnv1a(label)) >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextU32();
  const next = (): number => nextU32() / 4_294_967_296;
  return {
    nextU32,
    next,
    int: (n) => Math.floor(next() * n),
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    exponential: (mean) => -mean * Math.log(1 - next()),
    weighted: (weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
  };
}

/** FNV-1a over the UTF-16 code units of `text`, 32 bits. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
