import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HazardError } from './hazardError.ts';
import { type EconomicSecurityInput, type SecurityModel, toEconomicHazard } from './toEconomicHazard.ts';

function assertClose(actual: number, expected: number, relTol = 1e-12): void {
  assert.ok(
    Math.abs(actual - expected) <= relTol * Math.abs(expected),
    `expected ${expected}, got ${actual} (relative tolerance ${relTol})`,
  );
}

// Proof of work: 20 tokens of hash cost per hour for 10 hours: 200 tokens; half of it: 100 tokens.
const pow: SecurityModel = { type: 'proof_of_work', hashCostTokensPerHour: 20, attackHours: 10 };
// Proof of stake: 1e6 tokens staked; liveness needs 1/3, safety 2/3.
const pos: SecurityModel = { type: 'proof_of_stake', stakedTokens: 1e6 };

describe('toEconomicHazard', () => {
  // [name, input, expected economicPerYear]; expected values from k ln(ratio / R0), k = 0.5, R0 = 0.1:
  const cases: Array<[string, EconomicSecurityInput, number]> = [
    // The whole hash rate for 10 hours: cost 200 * 500 = 1e5 USD, ratio 1e6 / 1e5 = 10: 0.5 ln(100).
    ['pow, ratio 10', { model: pow, priceUsd: 500, valueAtRiskUsd: 1e6 }, 0.5 * Math.log(100)],
    // cost 1e7 USD, ratio 0.1 = R0: nothing.
    ['pow, ratio at threshold', { model: pow, priceUsd: 50_000, valueAtRiskUsd: 1e6 }, 0],
    // ratio 0.01: unprofitable a hundredfold.
    ['pow, ratio 0.01', { model: pow, priceUsd: 1e6, valueAtRiskUsd: 1e6 }, 0],
    ['pow, nothing at risk', { model: pow, priceUsd: 1000, valueAtRiskUsd: 0 }, 0],
    // stake 3e7 USD: liveness cost 1e7 (ratio 1), safety cost 2e7 (ratio 0.5): 0.5 ln 10 + 0.5 ln 5.
    [
      'pos, both attacks',
      { model: pos, priceUsd: 30, valueAtRiskUsd: 1e7 },
      0.5 * Math.log(10) + 0.5 * Math.log(5),
    ],
    // liveness ratio 0.15, safety 0.075 <= R0: 0.5 ln 1.5.
    ['pos, liveness only', { model: pos, priceUsd: 200, valueAtRiskUsd: 1e7 }, 0.5 * Math.log(1.5)],
    // liveness extracts a fifth: ratio 0.2; safety ratio 0.5.
    [
      'pos, extractable share',
      { model: pos, priceUsd: 30, valueAtRiskUsd: 1e7, extractableShare: { liveness: 0.2 } },
      0.5 * Math.log(2) + 0.5 * Math.log(5),
    ],
    // k = 2, R0 = 1, stake 1.5e7 USD: liveness ratio 2 adds 2 ln 2; safety ratio 1 is at R0.
    [
      'args: k and R0',
      { model: pos, priceUsd: 15, valueAtRiskUsd: 1e7, hazardPerYearPerEfold: 2, ratioThreshold: 1 },
      2 * Math.log(2),
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(`default: ${name}`, () => {
      const { economicPerYear } = toEconomicHazard(input);
      if (expected === 0) assert.equal(economicPerYear, 0);
      else assertClose(economicPerYear, expected);
    });
  }

  it('default: parts of each attack', () => {
    const { attacks } = toEconomicHazard({ model: pos, priceUsd: 30, valueAtRiskUsd: 1e7 });
    assert.deepEqual(
      attacks.map((a) => a.attack),
      ['liveness', 'safety'],
    );
    assertClose(attacks[0]!.costUsd, 1e7);
    assertClose(attacks[1]!.costUsd, 2e7);
    assertClose(attacks[1]!.ratio, 0.5);
    assert.equal(attacks[0]!.extractableUsd, 1e7);
  });

  it('behavior: non-decreasing in value at risk, non-increasing in price', () => {
    const values = [0, 1e5, 1e6, 3e6, 1e7, 1e8, 1e9];
    const prices = [1, 3, 10, 30, 100, 300, 1000];
    for (const model of [pos, pow]) {
      for (const priceUsd of prices) {
        const byValue = values.map(
          (valueAtRiskUsd) => toEconomicHazard({ model, priceUsd, valueAtRiskUsd }).economicPerYear,
        );
        for (let i = 1; i < byValue.length; i += 1) assert.ok(byValue[i]! >= byValue[i - 1]!);
      }
      for (const valueAtRiskUsd of values) {
        const byPrice = prices.map(
          (priceUsd) => toEconomicHazard({ model, priceUsd, valueAtRiskUsd }).economicPerYear,
        );
        for (let i = 1; i < byPrice.length; i += 1) assert.ok(byPrice[i]! <= byPrice[i - 1]!);
      }
    }
    // Strictly, once profitable enough: halving the price adds k ln 2 per active attack.
    const at = (priceUsd: number) =>
      toEconomicHazard({ model: pow, priceUsd, valueAtRiskUsd: 1e6 }).economicPerYear;
    assertClose(at(500) - at(1000), 0.5 * Math.log(2), 1e-9);
  });

  const bad: Array<[string, EconomicSecurityInput]> = [
    ['negative price', { model: pos, priceUsd: -1, valueAtRiskUsd: 1 }],
    ['zero price', { model: pos, priceUsd: 0, valueAtRiskUsd: 1 }],
    ['NaN price', { model: pos, priceUsd: Number.NaN, valueAtRiskUsd: 1 }],
    ['infinite value at risk', { model: pos, priceUsd: 1, valueAtRiskUsd: Number.POSITIVE_INFINITY }],
    ['negative value at risk', { model: pos, priceUsd: 1, valueAtRiskUsd: -5 }],
    ['zero stake', { model: { type: 'proof_of_stake', stakedTokens: 0 }, priceUsd: 1, valueAtRiskUsd: 1 }],
    [
      'NaN attack hours',
      {
        model: { type: 'proof_of_work', hashCostTokensPerHour: 1, attackHours: Number.NaN },
        priceUsd: 1,
        valueAtRiskUsd: 1,
      },
    ],
    ['share above 1', { model: pos, priceUsd: 1, valueAtRiskUsd: 1, extractableShare: { safety: 1.5 } }],
    ['NaN threshold', { model: pos, priceUsd: 1, valueAtRiskUsd: 1, ratioThreshold: Number.NaN }],
    ['cost underflows to zero', { model: pos, priceUsd: 1e-320, valueAtRiskUsd: 1 }],
  ];
  for (const [name, input] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => toEconomicHazard(input),
        (error: unknown) =>
          error instanceof HazardError && error.code === 'invalid_input' && error.field !== '',
      );
    });
  }
});
