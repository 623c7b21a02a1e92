import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bsmGreeks, bsmPrice } from '../../src/risk/pricing/bsm.ts';
import { crrPrice } from '../../src/risk/pricing/crr.ts';
import { jumpToDefaultGreeks, jumpToDefaultTree } from '../../src/risk/pricing/jumpToDefault.ts';
import { mertonGreeks, mertonPrice } from '../../src/risk/pricing/merton.ts';
import type { OptionInput } from '../../src/risk/pricing/types.ts';
import { assertRelative } from './reference.ts';

/** Markets that a crypto venue sees: high vols, staking yields, short and long expiries. */
const MARKETS: OptionInput[] = [
  { type: 'call', spot: 100, strike: 100, timeYears: 0.5, rate: 0.05, yieldRate: 0.01, volAnnual: 0.3 },
  {
    type: 'call',
    spot: 2500,
    strike: 3200,
    timeYears: 30 / 365,
    rate: 0.04,
    yieldRate: 0.035,
    volAnnual: 0.85,
  },
  { type: 'call', spot: 60000, strike: 45000, timeYears: 2, rate: 0.045, yieldRate: 0.1, volAnnual: 0.6 },
  { type: 'call', spot: 1.3, strike: 1.5, timeYears: 7 / 365, rate: 0.0, yieldRate: 0.06, volAnnual: 1.4 },
];

function parityGap(call: number, put: number, m: OptionInput): number {
  return (
    call - put - (m.spot * Math.exp(-m.yieldRate * m.timeYears) - m.strike * Math.exp(-m.rate * m.timeYears))
  );
}

describe('property: put-call parity', () => {
  for (const m of MARKETS) {
    const label = `S=${m.spot} K=${m.strike} T=${m.timeYears.toFixed(3)}`;
    it(`behavior: Black-Scholes-Merton ${label}`, () => {
      const gap = parityGap(bsmPrice(m), bsmPrice({ ...m, type: 'put' }), m);
      assert.ok(Math.abs(gap) <= 1e-12 * m.spot, `gap ${gap}`);
    });
    for (const recoveryFraction of [0, 0.35]) {
      for (const hazardPerYear of [0.02, 0.5, 3]) {
        it(`behavior: jump to default, hazard ${hazardPerYear}, recovery ${recoveryFraction}, ${label}`, () => {
          const call = jumpToDefaultGreeks({ ...m, hazardPerYear, recoveryFraction });
          const put = jumpToDefaultGreeks({ ...m, type: 'put', hazardPerYear, recoveryFraction });
          const gap = parityGap(call.price, put.price, m);
          assert.ok(Math.abs(gap) <= 1e-11 * m.spot, `gap ${gap}`);
          assert.ok(Math.abs(call.delta - put.delta - Math.exp(-m.yieldRate * m.timeYears)) <= 1e-11);
          assert.ok(Math.abs(call.hazardSensitivity - put.hazardSensitivity) <= 1e-9 * m.spot);
        });
      }
    }
    it(`behavior: Merton ${label}`, () => {
      const jumps = { jumpIntensity: 2, jumpMeanLog: -0.2, jumpVol: 0.25 };
      const gap = parityGap(mertonPrice({ ...m, ...jumps }), mertonPrice({ ...m, ...jumps, type: 'put' }), m);
      assert.ok(Math.abs(gap) <= 1e-11 * m.spot, `gap ${gap}`);
    });
  }
});

describe('property: hazard 0 is Black-Scholes-Merton', () => {
  for (const m of MARKETS) {
    for (const type of ['call', 'put'] as const) {
      for (const recoveryFraction of [0, 0.5]) {
        it(`behavior: ${type} S=${m.spot} K=${m.strike}, recovery ${recoveryFraction}`, () => {
          const bsm = bsmGreeks({ ...m, type });
          const jtd = jumpToDefaultGreeks({ ...m, type, hazardPerYear: 0, recoveryFraction });
          for (const key of ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'dividendRho'] as const) {
            assertRelative(jtd[key], bsm[key], 1e-13, key);
          }
        });
      }
      it(`behavior: Merton with no jumps, ${type} S=${m.spot} K=${m.strike}`, () => {
        const bsm = bsmGreeks({ ...m, type });
        const merton = mertonGreeks({ ...m, type, jumpIntensity: 0, jumpMeanLog: -0.3, jumpVol: 0.2 });
        for (const key of ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'dividendRho'] as const) {
          assertRelative(merton[key], bsm[key], 1e-13, key);
        }
      });
    }
  }
  // At hazard 0 the jump-to-default tree keeps its exact martingale step (up probability
  // (e^{(r-q)dt} - d) / (u - d)), while QuantLib's CRR matches the drift of the log price to first
  // order: the two trees agree to their discretization error, not to the last digit.
  it('behavior: the American tree with hazard 0 is a CRR tree', () => {
    const m = {
      ...(MARKETS[0] as OptionInput),
      type: 'put' as const,
      exercise: 'american' as const,
      steps: 400,
    };
    const crr = crrPrice(m);
    const tree = jumpToDefaultTree({ ...m, hazardPerYear: 0 });
    assertRelative(tree.price, crr.price, 1e-4, 'price');
    // The jump-to-default tree reads delta and gamma at t = 0 (five nodes around the spot), CRR at
    // steps 1 and 2: compare both with a converged CRR tree rather than with each other.
    const converged = crrPrice({ ...m, steps: 20_000 });
    assertRelative(tree.delta, converged.delta, 2e-4, 'delta');
    assertRelative(tree.gamma, converged.gamma, 2e-4, 'gamma');
  });
});

describe('property: recovery 1 removes the default', () => {
  for (const type of ['call', 'put'] as const) {
    it(`behavior: ${type}`, () => {
      const m = { ...(MARKETS[1] as OptionInput), type };
      const jtd = jumpToDefaultGreeks({ ...m, hazardPerYear: 0.8, recoveryFraction: 1 });
      assertRelative(jtd.price, bsmPrice(m), 1e-12, 'price');
      assert.ok(Math.abs(jtd.hazardSensitivity) <= 1e-12 * m.spot);
    });
  }
});

describe('property: CRR converges to Black-Scholes-Merton', () => {
  for (const m of MARKETS) {
    for (const type of ['call', 'put'] as const) {
      it(`behavior: ${type} S=${m.spot} K=${m.strike}: the error shrinks as steps grow`, () => {
        const exact = bsmPrice({ ...m, type });
        const errors = [100, 400, 1600].map((steps) =>
          Math.abs(crrPrice({ ...m, type, exercise: 'european', steps }).price - exact),
        );
        const [e100 = 0, e400 = 0, e1600 = 0] = errors;
        assert.ok(e1600 <= 1e-4 * m.spot, `error at 1600 steps ${e1600}`);
        assert.ok(e1600 < e100, `errors ${errors.join(', ')}`);
        assert.ok(e400 < 1.5 * e100);
      });
    }
  }
});

describe('property: Merton with one certain jump to near zero approaches jump to default', () => {
  // A jump that multiplies the price by epsilon, at intensity lambda, has the compensated drift
  // r - q + lambda (1 - epsilon): as epsilon -> 0 it is the default of the jump-to-default model.
  for (const m of MARKETS) {
    for (const type of ['call', 'put'] as const) {
      it(`behavior: ${type} S=${m.spot} K=${m.strike}`, () => {
        const hazardPerYear = 0.7;
        const jtd = jumpToDefaultGreeks({ ...m, type, hazardPerYear });
        const gaps = [1e-3, 1e-6, 1e-9, 1e-30].map((epsilon) => {
          const merton = mertonPrice({
            ...m,
            type,
            jumpIntensity: hazardPerYear,
            jumpMeanLog: Math.log(epsilon),
            jumpVol: 0,
          });
          return Math.abs(merton - jtd.price);
        });
        const [g3 = 0, , g9 = 0, g30 = 0] = gaps;
        assert.ok(g9 <= 1e-6 * m.spot, `gaps ${gaps.join(', ')}`);
        assert.ok(g9 <= g3, `gaps ${gaps.join(', ')}`);
        assert.ok(g30 <= 1e-12 * m.spot, `gaps ${gaps.join(', ')}`);
      });
    }
  }
});
