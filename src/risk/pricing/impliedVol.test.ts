import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bsmPrice } from './bsm.ts';
import { PricingError } from './errors.ts';
import { type ImpliedVolInput, impliedVol } from './impliedVol.ts';

const market = { spot: 100, strike: 100, timeYears: 0.5, rate: 0.03, yieldRate: 0.01 };

describe('impliedVol', () => {
  it('default', () => {
    const price = bsmPrice({ ...market, type: 'call', volAnnual: 0.45 });
    assert.ok(Math.abs(impliedVol({ ...market, type: 'call', price }) - 0.45) < 1e-13);
  });

  const round: Array<[string, number, number]> = [
    ['deep out of the money', 250, 0.5],
    ['deep in the money', 40, 0.3],
    ['tiny vol', 100, 0.005],
    ['huge vol', 100, 6],
    ['short expiry wing', 130, 1.2],
  ];
  for (const [name, strike, vol] of round) {
    for (const type of ['call', 'put'] as const) {
      it(`args: ${name} ${type} round trip`, () => {
        const price = bsmPrice({ ...market, strike, type, volAnnual: vol });
        const implied = impliedVol({ ...market, strike, type, price });
        const reprice = bsmPrice({ ...market, strike, type, volAnnual: implied });
        assert.ok(Math.abs(reprice - price) <= 1e-12 * price, `${reprice} vs ${price}`);
      });
    }
  }

  const bad: Array<[string, Partial<ImpliedVolInput>, string]> = [
    ['price below intrinsic', { type: 'call', strike: 50, price: 10 }, 'no_implied_vol'],
    ['price above the spot', { type: 'call', price: 120 }, 'no_implied_vol'],
    ['put above the strike', { type: 'put', price: 100 }, 'no_implied_vol'],
    ['zero price', { type: 'call', price: 0 }, 'no_implied_vol'],
    ['NaN price', { type: 'call', price: Number.NaN }, 'invalid_input'],
    ['T = 0', { type: 'call', price: 5, timeYears: 0 }, 'invalid_input'],
  ];
  for (const [name, patch, code] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => impliedVol({ ...market, type: 'call', price: 5, ...patch }),
        (error: unknown) => error instanceof PricingError && error.code === code,
      );
    });
  }
});
