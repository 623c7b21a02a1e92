import { createPrng } from '../../sim/prng.ts';

/**
 * Payout of each path with capped policies: failures of source s arrive as N_s ~ Poisson(means[s])
 * (inverting the cumulative distribution with one uniform per source and path), and each failure
 * takes the fraction `lossFraction[p][s]` of what policy p has left, so policy p pays
 * insured_p (1 - Π_s (1 - lossFraction[p][s])^{N_s}), never more than insured_p.
 */
export function simulateLosses(
  means: readonly number[],
  insuredUsd: readonly number[],
  lossFraction: readonly (readonly number[])[],
  paths: number,
  seed: number,
): Float64Array {
  const prng = createPrng(seed, 'cover');
  const n = means.length;
  const p0 = means.map((mean) => Math.exp(-mean));
  const counts = new Int32Array(n);
  const out = new Float64Array(paths);
  for (let path = 0; path < paths; path++) {
    let any = false;
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
      counts[s] = k;
      if (k > 0) any = true;
    }
    if (!any) continue;
    let loss = 0;
    for (let policy = 0; policy < insuredUsd.length; policy++) {
      const fractions = lossFraction[policy]!;
      let left = 1;
      for (let s = 0; s < n; s++) {
        const k = counts[s]!;
        if (k > 0) left *= (1 - fractions[s]!) ** k;
      }
      loss += insuredUsd[policy]! * (1 - left);
    }
    out[path] = loss;
  }
  return out;
}
