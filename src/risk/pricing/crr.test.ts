import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bsmPrice } from './bsm.ts';
import { type CrrInput, crrPrice } from './crr.ts';
import { PricingError } from './errors.ts';

const base: CrrInput = {
  type: 'put',
  exercise: 'american',
  spot: 100,
  strike: 100,
  timeYears: 1,
  rate: 0.05,
  yieldRate: 0,
  volAnnual: 0.3,
  steps: 200,
};

describe('crrPrice', () => {
  it('default', () => {
    const result = crrPrice(base);
    const european = crrPrice({ ...base, exercise: 'european' });
    assert.ok(result.price > european.price, 'an American put is worth more than the European one');
  });

  it('behavior: an American call without yield is worth the European call', () => {
    const call = { ...base, type: 'call' as const };
    assert.ok(Math.abs(crrPrice(call).price - crrPrice({ ...call, exercise: 'european' }).price) < 1e-12);
  });

  it('behavior: deep in the money American put is worth its exercise value', () => {
    assert.equal(crrPrice({ ...base, spot: 20 }).price, 80);
  });

  it('args: two steps', () => {
    const result = crrPrice({ ...base, exercise: 'european', steps: 2 });
    assert.ok(Number.isFinite(result.gamma) && result.gamma > 0);
  });

  const bad: Array<[string, Partial<CrrInput>]> = [
    ['one step', { steps: 1 }],
    ['fractional steps', { steps: 10.5 }],
    ['negative vol', { volAnnual: -0.1 }],
    ['T = 0', { timeYears: 0 }],
    ['NaN rate', { rate: Number.NaN }],
    ['probability above 1', { rate: 3, volAnnual: 0.01, steps: 2 }],
    ['outer nodes overflow', { volAnnual: 5, timeYears: 10, steps: 2000 }],
  ];
  for (const [name, patch] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => crrPrice({ ...base, ...patch }),
        (error: unknown) => error instanceof PricingError && error.code === 'invalid_input',
      );
    });
  }

  it('behavior: European converges to Black-Scholes-Merton', () => {
    const european = { ...base, exercise: 'european' as const, steps: 2000 };
    const exact = bsmPrice(european);
    assert.ok(Math.abs(crrPrice(european).price - exact) < 5e-3);
  });
});
