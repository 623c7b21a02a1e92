import { describe, it } from 'node:test';
import { bsmGreeks } from '../../src/risk/pricing/bsm.ts';
import { type CrrInput, crrPrice } from '../../src/risk/pricing/crr.ts';
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

describe(`erfc against ${table.erfc.source}`, () => {
  for (const { x, erfc: expected } of table.erfc.cases) {
    it(`args: ${x}`, () => assertRelative(erfc(x), expected, 1e-15));
  }
});
