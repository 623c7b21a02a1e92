import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HazardError } from './hazardError.ts';
import { type IterateReflexiveLoopParameters, iterateReflexiveLoop } from './iterateReflexiveLoop.ts';

function assertClose(actual: number, expected: number, relTol: number): void {
  assert.ok(
    Math.abs(actual - expected) <= relTol * Math.abs(expected),
    `expected ${expected}, got ${actual} (relative tolerance ${relTol})`,
  );
}

/*
 * The setting, worked by hand.
 *
 * Proof of work, 20 tokens of hash cost per hour for 10 hours: a majority attack needs half of 200
 * tokens, so it costs 100 p USD at token price p. Value at risk V = 1e6 USD, R0 = 0.1, k = 0.5 per
 * year, base 0.25 per year, no live signals. The attack's ratio is V / (100 p) = 1e4 / p, which
 * equals R0 at p_c = 1e5 USD. So
 *
 *   H(p) = 0.25                      for p >= p_c,
 *   H(p) = 0.25 + k ln(p_c / p)      for p <  p_c.
 *
 * Pre-shock price p0 = 120,000 > p_c, so H0 = 0.25. After a shock to p1 the loop is
 * p_{n+1} = F(p_n) = p1 exp(-beta (H(p_n) - H0)):
 *
 * - if p1 >= p_c then H(p1) = H0 and F(p1) = p1: the shock is absorbed at once (one update);
 * - if p1 <  p_c then F(p) = p1 (p / p_c)^a with a = beta k, and in x = ln p the map is affine,
 *   x -> ln p1 + a (x - ln p_c), with slope a and fixed point p* = p_c (p1 / p_c)^(1 / (1 - a)).
 *   Iterates obey x_n - x* = a^n (x_0 - x*), i.e. p_n = p* (p1 / p*)^(a^n).
 *   For a < 1 the map is a contraction with constant a on (0, p_c] (F is increasing and maps that
 *   interval into itself), so the loop converges to p*. For a > 1 the fixed point is repelling and
 *   lies above p1 (ln(p1 / p_c) / (1 - a) > 0), so the distance to it grows by a factor a each step
 *   and the price falls to zero: a spiral.
 */
const hazard: IterateReflexiveLoopParameters['hazard'] = {
  chain: 'x',
  basePerYear: 0.25,
  security: {
    model: { type: 'proof_of_work', hashCostTokensPerHour: 10, attackHours: 10 },
    priceUsd: 120_000,
    valueAtRiskUsd: 1e6,
  },
};

describe('iterateReflexiveLoop', () => {
  it('behavior: a mild shock that leaves the attack unprofitable is absorbed at once', () => {
    // beta = 4 years, a = 2; p1 = 110,000 >= p_c.
    const result = iterateReflexiveLoop({ hazard, shockedPriceUsd: 110_000, priceImpactYears: 4 });
    assert.deepEqual(result, {
      converged: true,
      priceUsd: 110_000,
      hazardPerYear: 0.25,
      iterations: 1,
      path: [
        { priceUsd: 110_000, hazardPerYear: 0.25 },
        { priceUsd: 110_000, hazardPerYear: 0.25 },
      ],
    });
  });

  it('behavior: a strong shock with a = 2 spirals, along the closed-form path', () => {
    // beta = 4 years, a = 2; p1 = 60,000 < p_c. p* = 1e5 * 0.6^(1 / (1 - 2)) = 166,666.67 and
    // p1 / p* = 0.36, so p_n = p* 0.36^(2^n): 60,000; 21,600; 2,799.36; 47.02; then 0.0135, which is
    // below the floor 1e-6 * 120,000 = 0.12: a spiral detected at the fourth update.
    const result = iterateReflexiveLoop({ hazard, shockedPriceUsd: 60_000, priceImpactYears: 4 });
    assert.equal(result.converged, false);
    assert.ok(!result.converged);
    assert.equal(result.reason, 'spiral');
    assert.equal(result.iterations, 4);
    const pStar = 1e5 / 0.6;
    const expected = [0, 1, 2, 3].map((n) => pStar * 0.36 ** (2 ** n));
    assert.equal(result.path.length, expected.length);
    result.path.forEach((step, n) => {
      assertClose(step.priceUsd, expected[n]!, 1e-9);
      assertClose(step.hazardPerYear, 0.25 + 0.5 * Math.log(1e5 / expected[n]!), 1e-9);
    });
    assertClose(result.priceUsd, pStar * 0.36 ** 16, 1e-9);
    assert.ok(result.priceUsd < 0.12);
  });

  it('behavior: the same strong shock with a = 1/2 converges to p* = p_c (p1 / p_c)^2', () => {
    // beta = 1 year, a = 0.5: p* = 1e5 * 0.6^2 = 36,000, H(p*) = 0.25 + 0.5 ln(1e5 / 36,000).
    // p_n = 36,000 (5/3)^(0.5^n): 60,000; 46,475.8; ...
    const result = iterateReflexiveLoop({
      hazard,
      shockedPriceUsd: 60_000,
      priceImpactYears: 1,
      toleranceRel: 1e-13,
    });
    assert.ok(result.converged);
    assertClose(result.priceUsd, 36_000, 1e-11);
    assertClose(result.hazardPerYear, 0.25 + 0.5 * Math.log(1e5 / 36_000), 1e-11);
    assertClose(result.path[1]!.priceUsd, 36_000 * (5 / 3) ** 0.5, 1e-12);
    // Update i moves ln p by 0.5^i * ln(5/3) = 0.5^i * 0.5108: above 1e-13 for i = 42 (1.16e-13),
    // below it for i = 43 (5.8e-14), so the loop stops at the 43rd update.
    assert.equal(result.iterations, 43);
    for (let n = 1; n < result.path.length; n += 1) {
      assert.ok(result.path[n]!.priceUsd <= result.path[n - 1]!.priceUsd, 'the path falls monotonically');
    }
  });

  it('behavior: two proof-of-stake attacks double the slope', () => {
    // 3e6 tokens staked, V = 1e6 USD: liveness costs 1e6 p (p_c = 10), safety 2e6 p (p_c = 5).
    // p0 = 12 and p1 = 4 < 5, both attacks active: H(p) - H0 = k ln(10 / p) + k ln(5 / p), so
    // F(p) = 4 (p^2 / 50)^(beta k); with beta k = 1/4: p = 4 (p^2 / 50)^(1/4), p^(1/2) = 4 / 50^(1/4),
    // p* = 16 / sqrt(50) = 2.2627 (< 5, so both attacks stay active).
    const result = iterateReflexiveLoop({
      hazard: {
        chain: 'x',
        basePerYear: 0.1,
        security: { model: { type: 'proof_of_stake', stakedTokens: 3e6 }, priceUsd: 12, valueAtRiskUsd: 1e6 },
      },
      shockedPriceUsd: 4,
      priceImpactYears: 0.5,
      toleranceRel: 1e-13,
    });
    assert.ok(result.converged);
    assertClose(result.priceUsd, 16 / Math.sqrt(50), 1e-11);
  });

  it('behavior: a slow contraction stops at max_iterations', () => {
    // beta = 1.98 years, a = 0.99: ln(p_n / p*) shrinks by 1% a step, far from 1e-10 in 5 steps.
    const result = iterateReflexiveLoop({
      hazard,
      shockedPriceUsd: 60_000,
      priceImpactYears: 1.98,
      maxIterations: 5,
    });
    assert.ok(!result.converged);
    assert.equal(result.reason, 'max_iterations');
    assert.equal(result.iterations, 5);
    assert.equal(result.path.length, 6);
  });

  it('args: no price impact: the shocked price stands', () => {
    const result = iterateReflexiveLoop({ hazard, shockedPriceUsd: 60_000, priceImpactYears: 0 });
    assert.ok(result.converged);
    assert.equal(result.priceUsd, 60_000);
    assertClose(result.hazardPerYear, 0.25 + 0.5 * Math.log(1e5 / 60_000), 1e-12);
  });

  const bad: Array<[string, Partial<IterateReflexiveLoopParameters>]> = [
    ['NaN shocked price', { shockedPriceUsd: Number.NaN }],
    ['negative shocked price', { shockedPriceUsd: -1 }],
    ['negative price impact', { priceImpactYears: -1 }],
    ['infinite price impact', { priceImpactYears: Number.POSITIVE_INFINITY }],
    ['zero tolerance', { toleranceRel: 0 }],
    ['floor of 1', { spiralFloorRel: 1 }],
    ['fractional max iterations', { maxIterations: 2.5 }],
    ['zero max iterations', { maxIterations: 0 }],
    [
      'negative pre-shock price',
      { hazard: { ...hazard, security: { ...hazard.security, priceUsd: -120_000 } } },
    ],
  ];
  for (const [name, override] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => iterateReflexiveLoop({ hazard, shockedPriceUsd: 60_000, priceImpactYears: 1, ...override }),
        (error: unknown) => error instanceof HazardError && error.code === 'invalid_input',
      );
    });
  }
});
