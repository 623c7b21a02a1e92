import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createContagionGraph } from '../../src/risk/contagion/contagionGraph.ts';
import { priceCover } from '../../src/risk/cover/priceCover.ts';
import { simulateLosses } from '../../src/risk/cover/simulateLosses.ts';
import { DEFAULT_SEVERITY } from '../../src/risk/hazard/defaultSeverity.ts';

const eth = 1 - DEFAULT_SEVERITY.chains.ethereum!.recovery;
const arb = 1 - DEFAULT_SEVERITY.severity.classes.bridge_or_sequencer.recovery;

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
    // Each failure takes half of what is left: paid = insured (1 - 0.5^N), N ~ Poisson(0.8).
    // E[0.5^N] = exp(-0.8 × 0.5) (Poisson pgf), by hand.
    const expected = insuredUsd * (1 - Math.exp(-hazardPerYear * 0.5));
    assert.ok(Math.abs(result.expectedLossUsd - expected) < 1e-6);
    const { meanLossUsd, standardErrorUsd } = result.monteCarlo;
    assert.ok(standardErrorUsd > 0);
    assert.ok(
      Math.abs(meanLossUsd - expected) <= 3 * standardErrorUsd,
      `MC ${meanLossUsd} vs ${expected}, se ${standardErrorUsd}`,
    );
    // Var(0.5^N) = E[0.25^N] - E[0.5^N]^2 = exp(-0.8 × 0.75) - exp(-0.8).
    const sdByHand = insuredUsd * Math.sqrt(Math.exp(-0.6) - Math.exp(-0.8));
    assert.ok(Math.abs(result.monteCarlo.stdDevUsd / sdByHand - 1) < 0.01);
    // Ruin: capital + premium lies between one failure's payout (500k) and two (750k): ruin is N >= 2.
    const threshold = 200_000 + result.premiumUsd;
    assert.ok(threshold > 500_000 && threshold < 750_000, `threshold ${threshold}`);
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
    const steth = 1 - (1 - eth) * 0.8;
    const expected: Array<[string, number]> = [
      ['ethereum', 1e6 * steth + 1e6 * 0.8 * arb],
      ['arbitrum-sequencer', 1e6 * 0.5 * arb],
      ['arbitrum', 1e6 * arb],
    ];
    assert.deepEqual(
      result.sources.map((s) => s.source),
      expected.map(([source]) => source),
    );
    for (const [i, [, loss]] of expected.entries()) {
      assert.ok(Math.abs(result.sources[i]!.lossGivenFailureUsd - loss) < 1e-6);
    }
    // Every path's loss is what n Ethereum failures take from both policies, for some whole n.
    const paid = (n: number) => 1e6 * (1 - (1 - steth) ** n) + 1e6 * (1 - (1 - 0.8 * arb) ** n);
    const v = result.monteCarlo.valueAtRiskUsd;
    assert.ok(
      [0, 1, 2, 3, 4, 5, 6, 7].some((n) => Math.abs(paid(n) - v) < 1e-6),
      `VaR ${v}`,
    );
  });

  it('behavior: no path pays more than the insured amount, however many failures', () => {
    const losses = simulateLosses(
      [40, 25],
      [1e6, 2e6],
      [
        [0.5, 0.9],
        [0.3, 1],
      ],
      20_000,
      3,
    );
    let max = 0;
    for (const loss of losses) max = Math.max(max, loss);
    assert.ok(max <= 3e6 && max > 2.9e6, `max ${max}`);
    const result = priceCover({
      graph,
      policies: [{ asset: 'X', insuredUsd }],
      hazards: { chainx: 30 },
      horizonYears: 1,
      capitalUsd: 0,
      paths: 20_000,
    });
    assert.ok(result.monteCarlo.tailValueAtRiskUsd <= insuredUsd);
    assert.ok(result.expectedLossUsd <= insuredUsd && result.premiumUsd <= 1.1 * insuredUsd);
  });

  it('behavior: a 7-day premium annualised is not above twice the 1-year premium rate (constant hazard)', () => {
    const price = (days: number) =>
      priceCover({
        graph,
        policies: [{ asset: 'X', insuredUsd }],
        hazards: { chainx: 0.96 },
        horizonYears: days / 365,
        capitalUsd: 0,
        paths: 200_000,
      });
    const week = price(7);
    const year = price(365);
    const weekAnnualised = (week.premiumRate * 365) / 7;
    assert.ok(weekAnnualised <= 2 * year.premiumRate, `${weekAnnualised} vs ${year.premiumRate}`);
    // Cost of capital per year: the risk load scales with the horizon.
    assert.ok(
      Math.abs(
        week.riskLoadUsd - 0.1 * (7 / 365) * (week.monteCarlo.tailValueAtRiskUsd - week.expectedLossUsd),
      ) < 1e-6,
    );
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
