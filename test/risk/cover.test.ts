import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createContagionGraph } from '../../src/risk/contagion/contagionGraph.ts';
import { priceCover } from '../../src/risk/cover/priceCover.ts';

describe('priceCover', () => {
  // One chain, its token loses half its value when the chain fails.
  const graph = createContagionGraph([
    { id: 'chainx', kind: 'chain' },
    { id: 'X', kind: 'asset', dependsOn: [{ on: 'chainx', kind: 'native', severity: 0.5 }] },
  ]);
  const hazardPerYear = 0.8;
  const insuredUsd = 1_000_000;

  it('behavior: one chain with a constant hazard: Monte Carlo agrees with the closed form within 3 standard errors', () => {
    const result = priceCover({
      graph,
      policies: [{ asset: 'X', insuredUsd }],
      hazards: { chainx: hazardPerYear },
      horizonYears: 1,
      capitalUsd: 200_000,
      paths: 200_000,
      seed: 7,
    });
    // E[L] = h T × insured × 0.5, by hand.
    const expected = hazardPerYear * 1 * insuredUsd * 0.5;
    assert.equal(result.expectedLossUsd, expected);
    const { meanLossUsd, standardErrorUsd } = result.monteCarlo;
    assert.ok(standardErrorUsd > 0);
    assert.ok(
      Math.abs(meanLossUsd - expected) <= 3 * standardErrorUsd,
      `MC ${meanLossUsd} vs ${expected}, se ${standardErrorUsd}`,
    );
    // Poisson: sd of N × 500 000 is sqrt(0.8) × 500 000.
    assert.ok(Math.abs(result.monteCarlo.stdDevUsd / (Math.sqrt(0.8) * 500_000) - 1) < 0.01);
    // Ruin: capital + premium is between 1 and 2 failures' loss (500k and 1M), so ruin is N >= 2.
    const threshold = 200_000 + result.premiumUsd;
    assert.ok(threshold > 500_000 && threshold < 1_000_000, `threshold ${threshold}`);
    const ruinByHand = 1 - Math.exp(-hazardPerYear) * (1 + hazardPerYear);
    assert.ok(
      Math.abs(result.monteCarlo.ruinProbability - ruinByHand) <= 3 * result.monteCarlo.ruinStandardError,
      `ruin ${result.monteCarlo.ruinProbability} vs ${ruinByHand}`,
    );
    assert.ok(result.premiumUsd > expected, 'a risk load on top of the expected loss');
  });

  it('behavior: the same seed gives the same numbers', () => {
    const run = () =>
      priceCover({
        policies: [{ asset: 'stETH', insuredUsd: 1e6 }],
        horizonYears: 1,
        capitalUsd: 1e5,
        paths: 5_000,
        seed: 3,
      });
    assert.deepEqual(run(), run());
  });

  it('behavior: an Ethereum failure pays stETH and ARB cover in the same path (correlation through the graph)', () => {
    const result = priceCover({
      policies: [
        { asset: 'stETH', insuredUsd: 1e6 },
        { asset: 'ARB', insuredUsd: 1e6 },
      ],
      hazards: { ethereum: 1, 'arbitrum-sequencer': 0, arbitrum: 0, circle: 0, 'wbtc-bridge': 0 },
      horizonYears: 1,
      capitalUsd: 0,
      paths: 2_000,
      seed: 5,
    });
    assert.deepEqual(
      result.sources.map((s) => [s.source, s.lossGivenFailureUsd]),
      [
        ['ethereum', 1e6 * 0.6 + 1e6 * 0.8 * 0.5],
        ['arbitrum-sequencer', 1e6 * 0.5 * 0.5],
        ['arbitrum', 1e6 * 0.5],
      ],
    );
    // Every path's loss is a whole number of Ethereum failures, each paying both policies.
    assert.equal(result.monteCarlo.valueAtRiskUsd % 1e6, 0);
  });

  it('error: an asset outside the graph', () => {
    assert.throws(
      () => priceCover({ graph, policies: [{ asset: 'Y', insuredUsd: 1 }], horizonYears: 1, capitalUsd: 0 }),
      {
        code: 'unknown_reference',
        field: 'policies.0.asset',
      },
    );
  });
});
