import { describe, it } from 'node:test';
import { type BsmBatchInput, bsmGreeksBatch, bsmPriceBatch } from '../../src/risk/pricing/batch.ts';
import { bsmGreeks } from '../../src/risk/pricing/bsm.ts';
import { type CrrInput, crrPrice } from '../../src/risk/pricing/crr.ts';
import { impliedVol } from '../../src/risk/pricing/impliedVol.ts';
import { jumpToDefaultGreeks } from '../../src/risk/pricing/jumpToDefault.ts';
import { mertonGreeks } from '../../src/risk/pricing/merton.ts';
import { erfc } from '../../src/risk/pricing/normal.ts';
import type { OptionInput } from '../../src/risk/pricing/types.ts';
import { assertRelative, caseName, loadReference, type ReferenceCase } from './reference.ts';

const table = loadReference();

function toOption(c: ReferenceCase): OptionInput {
  const { type, spot, strike, timeYears, rate, yieldRate, volAnnual } = c.input;
  return { type, spot, strike, timeYears, rate, yieldRate, volAnnual };
}

function assertAll(
  actual: Record<string, number>,
  expected: Record<string, number>,
  tolerance: number,
): void {
  for (const [key, value] of Object.entries(expected)) {
    const mine = actual[key];
    if (mine === undefined) throw new Error(`missing ${key}`);
    assertRelative(mine, value, tolerance, key);
  }
}

describe(`QuantLib ${table.quantlib}: Black-Scholes-Merton (AnalyticEuropeanEngine)`, () => {
  for (const c of table.bsm) {
    it(`args: ${caseName(c)}`, () => assertAll(bsmGreeks(toOption(c)), c.expected, 1e-9));
  }
});

describe(`QuantLib ${table.quantlib}: Black-Scholes-Merton batch (bsmPriceBatch, bsmGreeksBatch)`, () => {
  const n = table.bsm.length;
  const input: BsmBatchInput = {
    isCall: Uint8Array.from(table.bsm, (c) => (c.input.type === 'call' ? 1 : 0)),
    spot: Float64Array.from(table.bsm, (c) => c.input.spot),
    strike: Float64Array.from(table.bsm, (c) => c.input.strike),
    timeYears: Float64Array.from(table.bsm, (c) => c.input.timeYears),
    rate: Float64Array.from(table.bsm, (c) => c.input.rate),
    yieldRate: Float64Array.from(table.bsm, (c) => c.input.yieldRate),
    volAnnual: Float64Array.from(table.bsm, (c) => c.input.volAnnual),
  };
  const prices = bsmPriceBatch(input);
  const greeks = bsmGreeksBatch(input);
  for (let i = 0; i < n; i++) {
    const c = table.bsm[i]!;
    it(`args: ${caseName(c)}`, () => {
      assertRelative(prices[i]!, c.expected.price as number, 1e-9, 'price');
      const row = Object.fromEntries(Object.entries(greeks).map(([key, column]) => [key, column[i]!]));
      assertAll(row, c.expected, 1e-9);
    });
  }
});

describe(`QuantLib ${table.quantlib}: Cox-Ross-Rubinstein (BinomialVanillaEngine, same steps)`, () => {
  for (const c of table.crr) {
    const input: CrrInput = {
      ...toOption(c),
      exercise: c.input.exercise as 'european' | 'american',
      steps: c.input.steps as number,
    };
    it(`args: ${caseName(c)}`, () => assertAll(crrPrice(input), c.expected, 1e-9));
  }
});

describe(`QuantLib ${table.quantlib}: jump to default (BSM call at r + hazard, put by parity)`, () => {
  for (const c of table.jumpToDefault) {
    const input = { ...toOption(c), hazardPerYear: c.input.hazardPerYear as number };
    it(`args: ${caseName(c)}`, () => assertAll(jumpToDefaultGreeks(input), c.expected, 1e-9));
  }
});

describe(`QuantLib ${table.quantlib}: Merton jump-diffusion (JumpDiffusionEngine, converged series)`, () => {
  for (const c of table.merton) {
    const input = {
      ...toOption(c),
      jumpIntensity: c.input.jumpIntensity as number,
      jumpMeanLog: c.input.jumpMeanLog as number,
      jumpVol: c.input.jumpVol as number,
    };
    const { priceDefaultAccuracy: _truncated, ...expected } = c.expected;
    it(`args: ${caseName(c)}`, () => assertAll(mertonGreeks(input), expected, 1e-8));
  }
});

describe(`QuantLib ${table.quantlib}: implied volatility of QuantLib's own prices`, () => {
  for (const c of table.impliedVol) {
    const { type, spot, strike, timeYears, rate, yieldRate } = c.input;
    const price = c.input.price as number;
    it(`args: ${caseName(c)}`, () => {
      const vol = impliedVol({ type, spot, strike, timeYears, rate, yieldRate, price });
      assertRelative(vol, c.expected.volAnnual as number, 1e-9, 'volAnnual');
    });
  }
});

describe(`erfc against ${table.erfc.source}`, () => {
  for (const { x, erfc: expected } of table.erfc.cases) {
    it(`args: ${x}`, () => assertRelative(erfc(x), expected, 1e-15));
  }
});
