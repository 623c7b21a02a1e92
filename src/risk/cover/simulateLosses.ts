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
  const nPolicies = insuredUsd.length;
  // Each source's Poisson cumulative distribution, computed once by the recurrence the inversion
  // used per draw (p_k = p_(k-1) m / k): the draws are the same, without a division per step.
  // cdfStart[s] .. cdfStart[s + 1] holds cumulative(0..K), K the first k whose p_k underflows to 0.
  const cdfStart = new Int32Array(n + 1);
  const cdfValues: number[] = [];
  for (let s = 0; s < n; s++) {
    cdfStart[s] = cdfValues.length;
    const m = means[s]!;
    let p = Math.exp(-m);
    let cumulative = p;
    cdfValues.push(cumulative);
    for (let k = 1; p > 0; k++) {
      p *= m / k;
      cumulative += p;
      cdfValues.push(cumulative);
    }
  }
  cdfStart[n] = cdfValues.length;
  const cdf = Float64Array.from(cdfValues);
  // Per source s, the policies it hits, hitPolicy[hitStart[s] .. hitStart[s + 1]), and what each
  // keeps of its value per failure.
  const hitStart = new Int32Array(n + 1);
  const hits: number[] = [];
  const keeps: number[] = [];
  for (let s = 0; s < n; s++) {
    hitStart[s] = hits.length;
    for (let p = 0; p < nPolicies; p++) {
      const fraction = lossFraction[p]![s]!;
      if (fraction > 0) {
        hits.push(p);
        keeps.push(1 - fraction);
      }
    }
  }
  hitStart[n] = hits.length;
  const hitPolicy = Int32Array.from(hits);
  const keepFraction = Float64Array.from(keeps);
  const insured = Float64Array.from(insuredUsd);
  const left = new Float64Array(nPolicies).fill(1);
  const out = new Float64Array(paths);
  for (let path = 0; path < paths; path++) {
    let any = false;
    for (let s = 0; s < n; s++) {
      const u = prng.next();
      const first = cdfStart[s]!;
      const last = cdfStart[s + 1]! - 1;
      let at = first;
      while (at < last && u >= cdf[at]!) at += 1;
      const k = at - first;
      if (k === 0) continue;
      any = true;
      for (let h = hitStart[s]!; h < hitStart[s + 1]!; h++) {
        const keep = keepFraction[h]!;
        let kept = keep;
        for (let j = 1; j < k; j++) kept *= keep;
        left[hitPolicy[h]!]! *= kept;
      }
    }
    if (!any) continue;
    let loss = 0;
    for (let policy = 0; policy < nPolicies; policy++) {
      loss += insured[policy]! * (1 - left[policy]!);
      left[policy] = 1;
    }
    out[path] = loss;
  }
  return out;
}
