import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bsmGreeks } from './bsm.ts';
import { PricingError } from './errors.ts';
import { type MertonInput, mertonGreeks, mertonPrice } from './merton.ts';

const base: MertonInput = {
  type: 'call',
  spot: 100,
  strike: 100,
  timeYears: 0.5,
  rate: 0.05,
  yieldRate: 0.01,
  volAnnual: 0.3,
  jumpIntensity: 1,
  jumpMeanLog: -0.1,
  jumpVol: 0.15,
};

describe('mertonPrice', () => {
  it('default', () => {
    const price = mertonPrice(base);
    assert.ok(Math.abs(price - mertonGreeks(base).price) <= 1e-14 * price);
  });

  it('behavior: no jumps is Black-Scholes-Merton', () => {
    const noJumps = { ...base, jumpIntensity: 0 };
    assert.equal(mertonPrice(noJumps), bsmGreeks(noJumps).price);
  });

  it('behavior: a jump to 1e-30 of the price is a default: no overflow in the series', () => {
    const input = {
      ...base,
      type: 'put' as const,
      jumpIntensity: 0.5,
      jumpMeanLog: Math.log(1e-30),
      jumpVol: 0,
    };
    const g = mertonGreeks(input);
    for (const [key, value] of Object.entries(g)) assert.ok(Number.isFinite(value), `${key} = ${value}`);
  });

  it('error: a series whose terms overflow is not_converged', () => {
    assert.throws(
      () => mertonPrice({ ...base, jumpIntensity: 3, jumpMeanLog: 5, jumpVol: 0.5, timeYears: 1 }),
      (error: unknown) => error instanceof PricingError && error.code === 'not_converged',
    );
  });

  it('behavior: many jumps still converge', () => {
    const price = mertonPrice({
      ...base,
      jumpIntensity: 500,
      jumpMeanLog: -0.001,
      jumpVol: 0.01,
      timeYears: 2,
    });
    assert.ok(Number.isFinite(price) && price > 0);
  });

  const bad: Array<[string, Partial<MertonInput>]> = [
    ['negative intensity', { jumpIntensity: -1 }],
    ['negative jump vol', { jumpVol: -0.1 }],
    ['NaN mean', { jumpMeanLog: Number.NaN }],
    ['T = 0', { timeYears: 0 }],
    ['jump mean log below -700', { jumpMeanLog: -800 }],
  ];
  for (const [name, patch] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => mertonPrice({ ...base, ...patch }),
        (error: unknown) => error instanceof PricingError && error.code === 'invalid_input',
      );
    });
  }
});

describe('mertonGreeks', () => {
  const h = 1e-5;
  for (const type of ['call', 'put'] as const) {
    const input = { ...base, type };
    const g = mertonGreeks(input);
    const bump = (patch: Partial<MertonInput>) => mertonPrice({ ...input, ...patch });
    const cases: Array<[string, number, number]> = [
      ['delta', g.delta, (bump({ spot: 100 + h }) - bump({ spot: 100 - h })) / (2 * h)],
      ['vega', g.vega, (bump({ volAnnual: 0.3 + h }) - bump({ volAnnual: 0.3 - h })) / (2 * h)],
      ['theta', g.theta, -(bump({ timeYears: 0.5 + h }) - bump({ timeYears: 0.5 - h })) / (2 * h)],
      ['rho', g.rho, (bump({ rate: 0.05 + h }) - bump({ rate: 0.05 - h })) / (2 * h)],
      [
        'dividendRho',
        g.dividendRho,
        (bump({ yieldRate: 0.01 + h }) - bump({ yieldRate: 0.01 - h })) / (2 * h),
      ],
    ];
    for (const [name, analytic, numeric] of cases) {
      it(`behavior: ${type} ${name} matches a finite difference`, () => {
        assert.ok(
          Math.abs(analytic - numeric) <= 1e-6 * Math.max(1, Math.abs(analytic)),
          `${analytic} vs ${numeric}`,
        );
      });
    }
  }
});
