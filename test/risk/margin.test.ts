import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultContagionGraph } from '../../src/risk/contagion/defaultContagionGraph.ts';
import { toFailureLosses } from '../../src/risk/contagion/toFailureLosses.ts';
import type { RiskStatus } from '../../src/risk/contagion/toSourceHazards.ts';
import { DEFAULT_SEVERITY } from '../../src/risk/hazard/defaultSeverity.ts';
import { computeMargin } from '../../src/risk/margin/computeMargin.ts';
import { parsePortfolioFile } from '../../src/risk/margin/parsePortfolioFile.ts';
import type { Portfolio, Position } from '../../src/risk/margin/portfolio.ts';
import { bsmIndependent, erfcForCheck } from './independentBsm.ts';
import { assertRelative, loadReference } from './reference.ts';

const reference = loadReference();
// QuantLib case: call S=100 K=100 182 days r=0.05 q=0 vol=0.2.
const base = reference.bsm[0]!;
const T = base.input.timeYears;
const grid = { priceMoves: [-0.1, 0, 0.1], volShifts: [-0.05, 0, 0.05] };

function book(positions: Position[]): Portfolio {
  return {
    rate: base.input.rate,
    markets: { ETH: { priceUsd: base.input.spot, volAnnual: base.input.volAnnual } },
    accounts: [{ id: 'a', positions }],
  };
}

/** Worst P&L of `value(S, vol)` over the grid, by hand from the independent pricer. */
function worstByHand(value: (spot: number, vol: number) => number): number {
  const v0 = value(base.input.spot, base.input.volAnnual);
  let worst = 0;
  for (const m of grid.priceMoves)
    for (const s of grid.volShifts)
      worst = Math.min(worst, value(base.input.spot * (1 + m), base.input.volAnnual + s) - v0);
  return -worst;
}

function option(type: 'call' | 'put', spot: number, vol: number): number {
  return bsmIndependent({
    type,
    spot,
    strike: 100,
    timeYears: T,
    rate: base.input.rate,
    yieldRate: 0,
    volAnnual: vol,
  });
}

describe('computeMargin', () => {
  it('default: the test pricer reproduces QuantLib and the erfc table', () => {
    for (const c of reference.erfc.cases) assertRelative(erfcForCheck(c.x), c.erfc, 1e-12, `erfc(${c.x})`);
    for (const c of reference.bsm) {
      const price = bsmIndependent(c.input);
      assertRelative(price, c.expected.price!, 1e-9, `${c.input.type} K=${c.input.strike}`);
    }
  });

  const noFailure = { grid, failureScenarios: false };
  it('behavior: single long call: margin is the premium lost at -10% and vol -0.05', () => {
    const result = computeMargin({
      portfolio: book([
        { kind: 'option', underlying: 'ETH', type: 'call', strike: 100, timeYears: T, quantity: 1 },
      ]),
      policy: noFailure,
    });
    const expected = option('call', 100, 0.2) - option('call', 90, 0.15);
    assertRelative(
      worstByHand((s, v) => option('call', s, v)),
      expected,
      1e-12,
      'worst point',
    );
    const account = result.accounts[0]!;
    assertRelative(account.initialMarginUsd, expected, 1e-9, 'IM');
    assertRelative(account.maintenanceMarginUsd, 0.75 * expected, 1e-9, 'MM');
    assertRelative(account.equityUsd, base.expected.price!, 1e-9, 'equity is the QuantLib premium');
    assert.deepEqual(result.worstScenario, {
      kind: 'grid',
      priceMove: -0.1,
      volShift: -0.05,
      lossUsd: account.initialMarginUsd,
    });
  });

  it('behavior: covered call: spot and short call offset on one underlying', () => {
    const result = computeMargin({
      portfolio: book([
        { kind: 'spot', asset: 'ETH', quantity: 1 },
        { kind: 'option', underlying: 'ETH', type: 'call', strike: 100, timeYears: T, quantity: -1 },
      ]),
      policy: noFailure,
    });
    const expected = worstByHand((s, v) => s - option('call', s, v));
    assert.ok(expected > 0 && expected < 10);
    assertRelative(result.accounts[0]!.gridLossUsd, expected, 1e-9, 'covered call');
  });

  it('behavior: long straddle: worst at an unchanged price and lower volatility', () => {
    const result = computeMargin({
      portfolio: book([
        { kind: 'option', underlying: 'ETH', type: 'call', strike: 100, timeYears: T, quantity: 1 },
        { kind: 'option', underlying: 'ETH', type: 'put', strike: 100, timeYears: T, quantity: 1 },
      ]),
      policy: noFailure,
    });
    const straddle = (s: number, v: number) => option('call', s, v) + option('put', s, v);
    const expected = worstByHand(straddle);
    assertRelative(expected, straddle(100, 0.2) - straddle(100, 0.15), 1e-12, 'worst point');
    assertRelative(result.accounts[0]!.initialMarginUsd, expected, 1e-9, 'straddle');
  });

  describe('consensus failure', () => {
    const steth: Portfolio = {
      markets: { ETH: { priceUsd: 3000, volAnnual: 0.6 }, stETH: { priceUsd: 3000 } },
      accounts: [{ id: 'staker', positions: [{ kind: 'spot', asset: 'stETH', quantity: 10 }] }],
    };
    const onlyFailures = { grid: { priceMoves: [0], volShifts: [0] } };

    it('behavior: a stETH position is hit by an Ethereum failure through the graph', () => {
      // With a recovery of 0.5 given for Ethereum, stETH loses 1 - (1 - 1 × 0.5)(1 - 0.2) = 0.6 of
      // its value: ETH halves, validators 0.2.
      assert.equal(toFailureLosses(defaultContagionGraph(), 'ethereum', 0.5).get('stETH'), 1 - 0.5 * 0.8);
      const result = computeMargin({
        portfolio: steth,
        status: { ethereum: { basePerYear: 1, recoveryFraction: 0.5 }, circle: { basePerYear: 0 } },
        policy: onlyFailures,
      });
      const account = result.accounts[0]!;
      const weight = (1 - Math.exp(-1 / 365)) / 0.01;
      assert.equal(account.worstFailure?.source, 'ethereum');
      assertRelative(account.worstFailure.lossUsd, 0.6 * 30_000, 1e-12, 'loss given failure');
      assertRelative(account.initialMarginUsd, weight * 0.6 * 30_000, 1e-12, 'IM');
    });

    it('behavior: margin rises with the hazard and with the breaker level', () => {
      const at = (status: RiskStatus) =>
        computeMargin({ portfolio: steth, status, policy: onlyFailures }).accounts[0]!;
      const ethereum = { basePerYear: 1, recoveryFraction: 0.5 };
      const low = at({ ethereum }).initialMarginUsd;
      const high = at({ ethereum: { ...ethereum, basePerYear: 2 } }).initialMarginUsd;
      const caution = at({ ethereum: { ...ethereum, level: 'caution' } }).initialMarginUsd;
      const halt = at({ ethereum: { ...ethereum, level: 'halt' } });
      assert.ok(high > low, `${high} > ${low}`);
      assert.ok(caution > low, `${caution} > ${low}`);
      assert.ok(halt.initialMarginUsd > caution);
      // At halt the failure is under way (post-event): probability 1, the loss counts in full.
      assertRelative(halt.initialMarginUsd, 0.6 * 30_000, 1e-12, 'full loss at halt');
    });

    it('behavior: liquidations pause at reduce_only on a chain the account depends on', () => {
      const weak: Portfolio = {
        ...steth,
        accounts: [
          {
            id: 'short-put',
            positions: [
              { kind: 'spot', asset: 'stETH', quantity: 0.1 },
              { kind: 'option', underlying: 'ETH', type: 'put', strike: 3000, timeYears: 0.1, quantity: -10 },
            ],
          },
        ],
      };
      const normal = computeMargin({ portfolio: weak });
      assert.deepEqual(normal.liquidations, ['short-put']);
      assert.deepEqual(normal.pausedLiquidations, []);
      const paused = computeMargin({ portfolio: weak, status: { ethereum: { level: 'reduce_only' } } });
      assert.deepEqual(paused.pausedLiquidations, ['short-put']);
      assert.deepEqual(paused.accounts[0]!.pausedBy, ['ethereum']);
      const elsewhere = computeMargin({ portfolio: weak, status: { solana: { level: 'halt' } } });
      assert.deepEqual(elsewhere.pausedLiquidations, []);
    });

    it('behavior: a frozen settlement chain caps the gain of the positions settling on it', () => {
      const hedge: Portfolio = {
        markets: { ETH: { priceUsd: 3000, volAnnual: 0.6 } },
        accounts: [
          {
            id: 'hedged',
            positions: [
              { kind: 'spot', asset: 'ETH', quantity: 1 },
              { kind: 'perp', underlying: 'ETH', quantity: -1, settlementChain: 'arbitrum' },
            ],
          },
        ],
      };
      const status = { ethereum: { basePerYear: 1, level: 'halt' as const, recoveryFraction: 0.5 } };
      const result = computeMargin({ portfolio: hedge, status, policy: onlyFailures });
      // ETH halves: the spot loses 1500; the short perp's gain of 1500 is frozen with arbitrum.
      assert.equal(result.accounts[0]!.worstFailure?.source, 'ethereum');
      assertRelative(result.accounts[0]!.initialMarginUsd, 1500, 1e-12, 'frozen hedge');
      const unfrozen = computeMargin({
        portfolio: {
          ...hedge,
          accounts: [
            {
              id: 'h',
              positions: [
                hedge.accounts[0]!.positions[0]!,
                { kind: 'perp', underlying: 'ETH', quantity: -1 },
              ],
            },
          ],
        },
        status,
        policy: onlyFailures,
      });
      assert.equal(unfrozen.accounts[0]!.initialMarginUsd, 0);
    });
  });

  it('behavior: haircuts from the graph and a concentration charge per source', () => {
    const portfolio: Portfolio = {
      markets: {
        ETH: { priceUsd: 3000, volAnnual: 0.6 },
        stETH: { priceUsd: 3000 },
        USDC: { priceUsd: 1, stable: true },
      },
      accounts: [
        {
          id: 'c',
          positions: [
            { kind: 'spot', asset: 'stETH', quantity: 10 },
            { kind: 'spot', asset: 'USDC', quantity: 10_000 },
          ],
        },
      ],
    };
    const policy = { concentrationLimits: { ethereum: 0.1 } };
    const account = computeMargin({ portfolio, policy }).accounts[0]!;
    // stETH's loss when Ethereum fails, with the calibrated native severity of the graph.
    const eth = 1 - DEFAULT_SEVERITY.chains.ethereum!.recovery;
    const loss = 1 - (1 - eth) * 0.8;
    // stETH: 1 - (1 - 0.1 × loss); USDC: 1 - (1 - 0.02 × 1)(1 - 0.1 × 0.05) = 0.0249.
    const haircut = 30_000 * 0.1 * loss + 10_000 * 0.0249;
    assertRelative(account.haircutUsd, haircut, 1e-12, 'haircut');
    // Ethereum: 30 000 × loss + 10 000 × 0.05 at risk, above 0.1 × 40 000: half the excess.
    const charge = 0.5 * (30_000 * loss + 500 - 4000);
    assertRelative(account.concentrationChargeUsd, charge, 1e-12, 'concentration');
    assertRelative(account.equityUsd, 40_000 - haircut - charge, 1e-12, 'equity');
    const relaxed = computeMargin({ portfolio, policy: { concentrationLimits: { ethereum: 0.5 } } })
      .accounts[0]!;
    assert.equal(relaxed.concentrationChargeUsd, 0);
  });

  it('error: a position on an asset without market data', () => {
    assert.throws(
      () =>
        computeMargin({
          portfolio: {
            markets: {},
            accounts: [{ id: 'x', positions: [{ kind: 'spot', asset: 'ETH', quantity: 1 }] }],
          },
        }),
      { name: 'RiskError', code: 'unknown_reference', field: 'accounts.0.positions.0.asset' },
    );
  });
});

describe('computeMargin: failure volatility, summed add-ons and marks', () => {
  const T = 0.25;
  it('behavior: a failure scenario reprices options at the raised volatility', () => {
    const portfolio: Portfolio = {
      markets: { ETH: { priceUsd: 3000, volAnnual: 0.6 } },
      accounts: [
        {
          id: 'short-put',
          positions: [
            { kind: 'option', underlying: 'ETH', type: 'put', strike: 2000, timeYears: T, quantity: -1 },
          ],
        },
      ],
    };
    const status = { ethereum: { basePerYear: 1, level: 'halt' as const, recoveryFraction: 0.5 } };
    const policy = { grid: { priceMoves: [0], volShifts: [0] }, failureVolShift: 0.3 };
    const result = computeMargin({ portfolio, status, policy });
    const market = { type: 'put' as const, strike: 2000, timeYears: T, rate: 0, yieldRate: 0 };
    const before = bsmIndependent({ ...market, spot: 3000, volAnnual: 0.6 });
    const after = bsmIndependent({ ...market, spot: 1500, volAnnual: 0.9 });
    // Short one put: it loses after - before when ETH halves and vol rises to 0.9.
    assertRelative(result.accounts[0]!.consensusAddOnUsd, after - before, 1e-9, 'vol spike');
    const eth = result.failureScenarios.find((f) => f.source === 'ethereum')!;
    assertRelative(eth.jumpToDefaultPnlUsd, -(after - before), 1e-9, 'jump P&L');
    const own = result.accounts[0]!.jumpToDefault.find((j) => j.source === 'ethereum')!;
    assertRelative(own.pnlUsd, -(after - before), 1e-9, "the account's jump P&L");
  });

  it('behavior: add-ons of different sources add up, each with its weight', () => {
    const portfolio: Portfolio = {
      markets: { ETH: { priceUsd: 3000 }, SOL: { priceUsd: 150 } },
      accounts: [
        {
          id: 'two',
          positions: [
            { kind: 'spot', asset: 'ETH', quantity: 10 },
            { kind: 'spot', asset: 'SOL', quantity: 100 },
          ],
        },
      ],
    };
    const status = {
      ethereum: { basePerYear: 1, recoveryFraction: 0.5 },
      solana: { basePerYear: 2, recoveryFraction: 0.8 },
    };
    const result = computeMargin({
      portfolio,
      status,
      policy: { grid: { priceMoves: [0], volShifts: [0] } },
    });
    const weight = (h: number) => Math.min(1, (1 - Math.exp(-h / 365)) / 0.01);
    const byHand = weight(1) * 0.5 * 30_000 + weight(2) * 0.2 * 15_000;
    assertRelative(result.accounts[0]!.consensusAddOnUsd, byHand, 1e-12, 'sum of weighted losses');
  });

  it('behavior: an unobservable price is marked by its fallback and says which', () => {
    const account = { id: 'long', positions: [{ kind: 'spot' as const, asset: 'ETH', quantity: 10 }] };
    const grid = { grid: { priceMoves: [0], volShifts: [0] }, failureScenarios: false };
    const banded = computeMargin({
      portfolio: {
        markets: { ETH: { priceUsd: 3000, volAnnual: 0.6, unobservable: { ageDays: 4 } } },
        accounts: [account],
      },
      policy: grid,
    });
    assert.deepEqual(
      banded.marks.map((m) => [m.asset, m.method, m.priceUsd]),
      [['ETH', 'last_good_band', 3000]],
    );
    // Two-sided 99% band over 4 days at vol 0.6: the long position loses to the low end.
    const low = 3000 * Math.exp(-2.5758293035489004 * 0.6 * Math.sqrt(4 / 365));
    assertRelative(banded.accounts[0]!.markAddOnUsd, 10 * (3000 - low), 1e-12, 'band add-on');
    const older = computeMargin({
      portfolio: {
        markets: { ETH: { priceUsd: 3000, volAnnual: 0.6, unobservable: { ageDays: 9 } } },
        accounts: [account],
      },
      policy: grid,
    });
    assert.ok(
      older.accounts[0]!.markAddOnUsd > banded.accounts[0]!.markAddOnUsd,
      'the band widens with time',
    );
    const adjusted = computeMargin({
      portfolio: {
        markets: { ETH: { priceUsd: 3000, unobservable: { ageDays: 4, fallback: 'recovery_adjusted' } } },
        accounts: [account],
      },
      status: { ethereum: { recoveryFraction: 0.7 } },
      policy: grid,
    });
    assert.equal(adjusted.marks[0]!.method, 'recovery_adjusted');
    assertRelative(adjusted.marks[0]!.priceUsd, 3000 * 0.7, 1e-12, 'recovery-adjusted mark');
    assert.equal(adjusted.accounts[0]!.markAddOnUsd, 0);
  });
});

describe('computeMargin: the Deribit-like preset', () => {
  it('behavior: tenor-scaled volatility shocks and the extended table, by hand', () => {
    const days = 10;
    const portfolio: Portfolio = {
      markets: { ETH: { priceUsd: 3000, volAnnual: 0.6 } },
      accounts: [
        {
          id: 'short-put',
          positions: [
            {
              kind: 'option',
              underlying: 'ETH',
              type: 'put',
              strike: 2500,
              timeYears: days / 365,
              quantity: -1,
            },
          ],
        },
      ],
    };
    const policy = {
      ...parsePortfolioFile({ ...portfolio, policy: { preset: 'deribit' } }).policy,
      failureScenarios: false,
    };
    const result = computeMargin({ portfolio, policy });
    const option = (spot: number, vol: number) =>
      bsmIndependent({
        type: 'put',
        spot,
        strike: 2500,
        timeYears: days / 365,
        rate: 0,
        yieldRate: 0,
        volAnnual: vol,
      });
    const base = option(3000, 0.6);
    const scale = (30 / days) ** 0.3;
    const vols = [0.6 * (1 - 0.25 * scale), 0.6, Math.max(0.6 * (1 + 0.5 * scale), 0.5)];
    let worst = 0;
    for (const move of [-0.16, -0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12, 0.16]) {
      for (const vol of vols) worst = Math.max(worst, option(3000 * (1 + move), vol) - base);
    }
    for (const move of [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5]) {
      worst = Math.max(worst, 0.5 * (option(3000 * (1 + move), vols[2]!) - base));
    }
    assertRelative(result.accounts[0]!.gridLossUsd, worst, 1e-9, 'Deribit-like grid');
    assert.equal(result.scenarioCount, 27 + 8);
  });
});
