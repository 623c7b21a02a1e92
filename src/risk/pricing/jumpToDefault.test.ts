import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PricingError } from './errors.ts';
import {
  type JumpToDefaultInput,
  jumpToDefaultGreeks,
  jumpToDefaultPrice,
  jumpToDefaultTree,
} from './jumpToDefault.ts';

const base: JumpToDefaultInput = {
  type: 'put',
  spot: 100,
  strike: 100,
  timeYears: 1,
  rate: 0.05,
  yieldRate: 0.01,
  volAnnual: 0.5,
  hazardPerYear: 0.3,
};

describe('jumpToDefaultGreeks', () => {
  it('default', () => assert.equal(jumpToDefaultPrice(base), jumpToDefaultGreeks(base).price));

  const h = 1e-6;
  for (const recoveryFraction of [0, 0.4]) {
    for (const type of ['call', 'put'] as const) {
      const input = { ...base, type, recoveryFraction };
      const g = jumpToDefaultGreeks(input);
      const bump = (patch: Partial<JumpToDefaultInput>) => jumpToDefaultPrice({ ...input, ...patch });
      const cases: Array<[string, number, number]> = [
        ['delta', g.delta, (bump({ spot: 100 + h }) - bump({ spot: 100 - h })) / (2 * h)],
        ['vega', g.vega, (bump({ volAnnual: 0.5 + h }) - bump({ volAnnual: 0.5 - h })) / (2 * h)],
        ['theta', g.theta, -(bump({ timeYears: 1 + h }) - bump({ timeYears: 1 - h })) / (2 * h)],
        ['rho', g.rho, (bump({ rate: 0.05 + h }) - bump({ rate: 0.05 - h })) / (2 * h)],
        [
          'dividendRho',
          g.dividendRho,
          (bump({ yieldRate: 0.01 + h }) - bump({ yieldRate: 0.01 - h })) / (2 * h),
        ],
        [
          'hazardSensitivity',
          g.hazardSensitivity,
          (bump({ hazardPerYear: 0.3 + h }) - bump({ hazardPerYear: 0.3 - h })) / (2 * h),
        ],
      ];
      for (const [name, analytic, numeric] of cases) {
        it(`behavior: recovery ${recoveryFraction} ${type} ${name} matches a finite difference`, () => {
          assert.ok(
            Math.abs(analytic - numeric) <= 2e-6 * Math.max(1, Math.abs(analytic)),
            `${analytic} vs ${numeric}`,
          );
        });
      }
    }
  }

  const bad: Array<[string, Partial<JumpToDefaultInput>]> = [
    ['negative hazard', { hazardPerYear: -0.1 }],
    ['NaN hazard', { hazardPerYear: Number.NaN }],
    ['recovery above 1', { recoveryFraction: 1.5 }],
    ['negative recovery', { recoveryFraction: -0.1 }],
    ['negative vol', { volAnnual: -0.3 }],
    ['hazard * T beyond 500', { hazardPerYear: 100, timeYears: 10 }],
  ];
  for (const [name, patch] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => jumpToDefaultGreeks({ ...base, ...patch }),
        (error: unknown) => error instanceof PricingError && error.code === 'invalid_input',
      );
    });
  }
});

describe('jumpToDefaultTree', () => {
  it('default', () => {
    const american = jumpToDefaultTree({ ...base, exercise: 'american', steps: 300 });
    const european = jumpToDefaultTree({ ...base, exercise: 'european', steps: 300 });
    assert.ok(american.price > european.price);
  });

  for (const recoveryFraction of [0, 0.3, 0.8]) {
    for (const type of ['call', 'put'] as const) {
      it(`behavior: European tree converges to the closed form, recovery ${recoveryFraction} ${type}`, () => {
        const input = { ...base, type, recoveryFraction };
        const exact = jumpToDefaultGreeks(input);
        const tree = jumpToDefaultTree({ ...input, exercise: 'european', steps: 2000 });
        assert.ok(Math.abs(tree.price - exact.price) < 1e-2, `${tree.price} vs ${exact.price}`);
        assert.ok(Math.abs(tree.delta - exact.delta) < 1e-3, `${tree.delta} vs ${exact.delta}`);
        assert.ok(Math.abs(tree.hazardSensitivity - exact.hazardSensitivity) < 2e-2);
      });
    }
  }

  it('behavior: an American put with zero recovery is worth at least the strike times the default probability', () => {
    const tree = jumpToDefaultTree({ ...base, hazardPerYear: 2, exercise: 'american', steps: 400 });
    assert.ok(tree.price >= 100 * (1 - Math.exp(-2)) * 0.9);
  });

  it('error: one step', () => {
    assert.throws(() => jumpToDefaultTree({ ...base, exercise: 'american', steps: 1 }), PricingError);
  });
});
