import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bsmGreeks, bsmPrice } from './bsm.ts';
import { PricingError } from './errors.ts';
import type { OptionInput } from './types.ts';

const base: OptionInput = {
  type: 'call',
  spot: 100,
  strike: 105,
  timeYears: 0.75,
  rate: 0.04,
  yieldRate: 0.02,
  volAnnual: 0.6,
};

describe('bsmPrice', () => {
  it('default', () => assert.equal(bsmPrice(base), bsmGreeks(base).price));

  const bad: Array<[string, Partial<OptionInput>]> = [
    ['negative vol', { volAnnual: -0.2 }],
    ['zero vol', { volAnnual: 0 }],
    ['T = 0', { timeYears: 0 }],
    ['T < 0', { timeYears: -1 }],
    ['NaN spot', { spot: Number.NaN }],
    ['zero strike', { strike: 0 }],
    ['infinite rate', { rate: Number.POSITIVE_INFINITY }],
    ['NaN yield', { yieldRate: Number.NaN }],
    ['rate * T beyond 500', { rate: -700, timeYears: 1 }],
    ['yield * T beyond 500', { yieldRate: 60, timeYears: 10 }],
  ];
  for (const [name, patch] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => bsmPrice({ ...base, ...patch }),
        (error: unknown) => error instanceof PricingError && error.code === 'invalid_input',
      );
    });
  }
  it('error: unknown type', () => {
    assert.throws(() => bsmPrice({ ...base, type: 'straddle' as 'call' }), PricingError);
  });
});

describe('bsmGreeks', () => {
  // Each Greek against a central difference of the price: an internal consistency check.
  const h = 1e-4;
  for (const type of ['call', 'put'] as const) {
    const input = { ...base, type };
    const g = bsmGreeks(input);
    const bump = (patch: Partial<OptionInput>) => bsmPrice({ ...input, ...patch });
    const cases: Array<[string, number, number]> = [
      ['delta', g.delta, (bump({ spot: 100 + h }) - bump({ spot: 100 - h })) / (2 * h)],
      ['gamma', g.gamma, (bump({ spot: 100 + h }) - 2 * g.price + bump({ spot: 100 - h })) / (h * h)],
      ['vega', g.vega, (bump({ volAnnual: 0.6 + h }) - bump({ volAnnual: 0.6 - h })) / (2 * h)],
      ['theta', g.theta, -(bump({ timeYears: 0.75 + h }) - bump({ timeYears: 0.75 - h })) / (2 * h)],
      ['rho', g.rho, (bump({ rate: 0.04 + h }) - bump({ rate: 0.04 - h })) / (2 * h)],
      [
        'dividendRho',
        g.dividendRho,
        (bump({ yieldRate: 0.02 + h }) - bump({ yieldRate: 0.02 - h })) / (2 * h),
      ],
    ];
    for (const [name, analytic, numeric] of cases) {
      it(`behavior: ${type} ${name} matches a finite difference`, () => {
        assert.ok(
          Math.abs(analytic - numeric) <= 1e-5 * Math.max(1, Math.abs(analytic)),
          `${analytic} vs ${numeric}`,
        );
      });
    }
  }
  it('behavior: extreme but accepted rates give limit values, not NaN', () => {
    for (const type of ['call', 'put'] as const) {
      const g = bsmGreeks({ ...base, type, rate: 49, timeYears: 10 });
      for (const [key, value] of Object.entries(g))
        assert.ok(Number.isFinite(value), `${type} ${key} = ${value}`);
    }
  });

  it('behavior: deep out of the money stays finite and positive', () => {
    const g = bsmGreeks({ ...base, strike: 1e4, volAnnual: 0.1, timeYears: 0.01 });
    assert.ok(g.price >= 0 && Number.isFinite(g.price));
    assert.ok(Number.isFinite(g.delta) && Number.isFinite(g.gamma));
  });
});
