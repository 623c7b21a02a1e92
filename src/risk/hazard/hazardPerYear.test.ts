import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal } from '../../core/signal.ts';
import { HazardError } from './hazardError.ts';
import { type HazardPerYearParameters, hazardPerYear } from './hazardPerYear.ts';
import type { SecurityModel } from './toEconomicHazard.ts';

function assertClose(actual: number, expected: number, relTol = 1e-12): void {
  assert.ok(
    Math.abs(actual - expected) <= relTol * Math.abs(expected),
    `expected ${expected}, got ${actual} (relative tolerance ${relTol})`,
  );
}

const pow: SecurityModel = { type: 'proof_of_work', hashCostTokensPerHour: 10, attackHours: 10 };
const stall: Signal = {
  kind: 'liveness',
  chain: 'bitcoin',
  severity: 'critical',
  atMs: 0,
  message: 'no block for 3 hours',
  stalledForMs: 3 * 3_600_000,
  thresholdMs: 2 * 3_600_000,
};

describe('hazardPerYear', () => {
  it('default: base rate of the shipped table', () => {
    // Solana: 7 liveness incidents in 2117 days (2020-03-16 to 2026-01-01), Jeffreys prior:
    // (0.5 + 7) / 5.8 + 3 * 0.5 / 5.8 = 9 / 5.8 per year.
    const result = hazardPerYear({ chain: 'solana' });
    assert.equal(result.baseSource, 'default_table');
    assertClose(result.basePerYear, 9 / 5.8);
    assertClose(result.hazardPerYear, 9 / 5.8);
    assert.equal(result.liveMultiplier, 1);
    assert.equal(result.economicPerYear, 0);
    assert.equal(result.economic, undefined);
  });

  // [name, parameters, expected hazardPerYear]
  const cases: Array<[string, HazardPerYearParameters, number]> = [
    ['base given', { chain: 'x', basePerYear: 0.4 }, 0.4],
    ['caution doubles the base', { chain: 'x', basePerYear: 0.4, live: { level: 'caution' } }, 0.8],
    ['critical stall: 16 times', { chain: 'bitcoin', basePerYear: 0.25, live: { signals: [stall] } }, 4],
    ['signal of another chain', { chain: 'x', basePerYear: 0.25, live: { signals: [stall] } }, 0.25],
    // economic: cost 100 * 1000 USD, ratio 10: 0.5 ln 100 added, not multiplied.
    [
      'base, multiplier and economic term',
      {
        chain: 'bitcoin',
        basePerYear: 0.25,
        live: { signals: [stall], level: 'halt' },
        security: { model: pow, priceUsd: 1000, valueAtRiskUsd: 1e6 },
      },
      0.25 * 16 + 0.5 * Math.log(100),
    ],
    ['zero base', { chain: 'x', basePerYear: 0, live: { level: 'halt' } }, 0],
  ];
  for (const [name, parameters, expected] of cases) {
    it(`args: ${name}`, () => {
      const result = hazardPerYear(parameters);
      if (expected === 0) assert.equal(result.hazardPerYear, 0);
      else assertClose(result.hazardPerYear, expected);
      assert.equal(result.basePerYear * result.liveMultiplier + result.economicPerYear, result.hazardPerYear);
    });
  }

  it('behavior: more open interest or a lower price never lowers the hazard', () => {
    const at = (priceUsd: number, valueAtRiskUsd: number) =>
      hazardPerYear({
        chain: 'ethereum',
        live: { level: 'caution' },
        security: { model: { type: 'proof_of_stake', stakedTokens: 34e6 }, priceUsd, valueAtRiskUsd },
      }).hazardPerYear;
    const prices = [100, 300, 1000, 3000, 10_000];
    const values = [0, 1e8, 1e9, 1e10, 1e11, 1e12];
    for (const priceUsd of prices) {
      for (let i = 1; i < values.length; i += 1) {
        assert.ok(at(priceUsd, values[i]!) >= at(priceUsd, values[i - 1]!));
      }
    }
    for (const valueAtRiskUsd of values) {
      for (let i = 1; i < prices.length; i += 1) {
        assert.ok(at(prices[i]!, valueAtRiskUsd) <= at(prices[i - 1]!, valueAtRiskUsd));
      }
    }
    // And strictly where an attack pays: 1e11 USD at risk against 34e6 * 1000 / 3 USD of stake.
    assert.ok(at(1000, 1e11) > at(1000, 1e10));
    assert.ok(at(300, 1e11) > at(1000, 1e11));
  });

  const bad: Array<[string, HazardPerYearParameters, string]> = [
    ['unknown chain without a base', { chain: 'dogecoin' }, 'unknown_chain'],
    ['NaN base', { chain: 'x', basePerYear: Number.NaN }, 'invalid_input'],
    ['negative base', { chain: 'x', basePerYear: -0.1 }, 'invalid_input'],
    [
      'negative price',
      { chain: 'x', basePerYear: 1, security: { model: pow, priceUsd: -3, valueAtRiskUsd: 1 } },
      'invalid_input',
    ],
    [
      'NaN value at risk',
      { chain: 'x', basePerYear: 1, security: { model: pow, priceUsd: 3, valueAtRiskUsd: Number.NaN } },
      'invalid_input',
    ],
  ];
  for (const [name, parameters, code] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => hazardPerYear(parameters),
        (error: unknown) => error instanceof HazardError && error.code === code,
      );
    });
  }
});
