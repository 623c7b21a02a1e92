import { createPrng } from '../../sim/prng.ts';

/**
 * Loss of each path: Σ_s N_s L_s with N_s ~ Poisson(means[s]) drawn by inversion of the
 * cumulative distribution: one uniform draw per source and path.
 */
export function simulateLosses(
  means: readonly number[],
  lossPerFailure: readonly number[],
  paths: number,
  seed: number,
): Float64Array {
  const prng = createPrng(seed, 'cover');
  const n = means.length;
  const p0 = means.map((mean) => Math.exp(-mean));
  const out = new Float64Array(paths);
  for (let path = 0; path < paths; path++) {
    let loss = 0;
    for (let s = 0; s < n; s++) {
      const mean = means[s]!;
      let p = p0[s]!;
      let cumulative = p;
      const u = prng.next();
      let k = 0;
      while (u >= cumulative && p > 0) {
        k += 1;
        p *= mean / k;
        cumulative += p;
      }
      if (k > 0) loss += k * lossPerFailure[s]!;
    }
    out[path] = loss;
  }
  return out;
}
