import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BsmBatchInput, bsmGreeksBatch, bsmPriceBatch } from './batch.ts';
import { bsmGreeks } from './bsm.ts';
import { PricingError } from './errors.ts';

function chain(n: number): BsmBatchInput {
  const input: BsmBatchInput = {
    isCall: new Uint8Array(n),
    spot: new Float64Array(n),
    strike: new Float64Array(n),
    timeYears: new Float64Array(n),
    rate: new Float64Array(n),
    yieldRate: new Float64Array(n),
    volAnnual: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    input.isCall[i] = i % 2;
    input.spot[i] = 2500;
    input.strike[i] = 1000 + 50 * (i % 60);
    input.timeYears[i] = (1 + Math.floor(i / 60) * 7) / 365;
    input.rate[i] = 0.04;
    input.yieldRate[i] = 0.03;
    input.volAnnual[i] = 0.4 + 0.01 * (i % 13);
  }
  return input;
}

describe('bsmPriceBatch', () => {
  const input = chain(600);
  it('default: equals the scalar function row by row', () => {
    const prices = bsmPriceBatch(input);
    const greeks = bsmGreeksBatch(input);
    for (let i = 0; i < 600; i++) {
      const scalar = bsmGreeks({
        type: input.isCall[i] === 1 ? 'call' : 'put',
        spot: input.spot[i] as number,
        strike: input.strike[i] as number,
        timeYears: input.timeYears[i] as number,
        rate: input.rate[i] as number,
        yieldRate: input.yieldRate[i] as number,
        volAnnual: input.volAnnual[i] as number,
      });
      const tolerance = (x: number) => 1e-11 * Math.max(Math.abs(x), 1e-8);
      assert.ok(Math.abs((prices[i] as number) - scalar.price) <= tolerance(scalar.price), `row ${i} price`);
      for (const key of ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'dividendRho'] as const) {
        const value = greeks[key][i] as number;
        assert.ok(
          Math.abs(value - scalar[key]) <= tolerance(scalar[key]),
          `row ${i} ${key}: ${value} vs ${scalar[key]}`,
        );
      }
    }
  });

  it('args: writes into the given output', () => {
    const out = new Float64Array(600);
    assert.equal(bsmPriceBatch(input, out), out);
  });

  it('error: a bad row is named', () => {
    const bad = chain(10);
    bad.volAnnual[7] = -0.2;
    assert.throws(
      () => bsmPriceBatch(bad),
      (error: unknown) =>
        error instanceof PricingError && error.code === 'invalid_input' && error.details.row === 7,
    );
  });

  it('error: NaN rate', () => {
    const bad = chain(10);
    bad.rate[3] = Number.NaN;
    assert.throws(() => bsmGreeksBatch(bad), PricingError);
  });

  it('error: columns of unequal length', () => {
    const bad = { ...chain(10), strike: new Float64Array(9) };
    assert.throws(() => bsmPriceBatch(bad), PricingError);
  });
});
