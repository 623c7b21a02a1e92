import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { LEVELS, type Level } from '../../src/breaker/levels.ts';
import { registerPrice } from '../../src/cli/commands/price.ts';
import type { Severity, Signal, SignalKind } from '../../src/core/signal.ts';
import type { RiskStatus } from '../../src/risk/contagion/toSourceHazards.ts';
import { priceCover } from '../../src/risk/cover/priceCover.ts';
import { hazardPerYear } from '../../src/risk/hazard/hazardPerYear.ts';
import { computeMargin } from '../../src/risk/margin/computeMargin.ts';
import type { Portfolio } from '../../src/risk/margin/portfolio.ts';

/**
 * Chain health, worst last: the breaker levels, then each chain-level signal kind by severity.
 * Hazard, put prices (the protection a desk sells), margin and cover must never fall along a path.
 */
const levelPath: Array<{ level: Level; signals?: Signal[] }> = LEVELS.map((level) => ({ level }));
const signal = (kind: SignalKind, severity: Severity): Signal =>
  ({ kind, severity, chain: 'ethereum', atMs: 0, message: '' }) as unknown as Signal;
const signalPaths: Array<[SignalKind, Array<{ level: Level; signals: Signal[] }>]> = (
  ['reorg', 'liveness', 'finality', 'divergence', 'integrity', 'lag', 'latency', 'quorum'] as const
).map((kind) => [
  kind,
  (['info', 'warning', 'critical', 'safety'] as const).map((severity) => ({
    level: 'normal' as const,
    signals: [signal(kind, severity)],
  })),
]);
const paths: Array<[string, Array<{ level: Level; signals?: Signal[] }>]> = [
  ['breaker level', levelPath],
  ...signalPaths.map(([kind, path]): [string, typeof levelPath] => [`${kind} signals`, path]),
];

function nonDecreasing(values: number[], what: string): void {
  for (let i = 1; i < values.length; i++) {
    assert.ok(values[i]! >= values[i - 1]! * (1 - 1e-12), `${what}: ${values.join(', ')}`);
  }
}

function putPrice(level: Level, signals: Signal[] | undefined): number {
  // The command takes a level; signals go through the library's hazard with the same rule.
  let out = '';
  const program = new Command('consensus-guard').exitOverride();
  registerPrice(program, { out: (text) => void (out += text), err: () => {} });
  const args = ['price', '--type', 'put', '--model', 'jtd', '--chain', 'ethereum', '--level', level];
  program.parse([...args, '--spot', '3200', '--strike', '3200', '--days', '30', '--vol', '0.65', '--json'], {
    from: 'user',
  });
  assert.equal(signals, undefined);
  return (JSON.parse(out) as Array<{ price: number }>)[0]!.price;
}

const book: Portfolio = {
  markets: { ETH: { priceUsd: 3200, volAnnual: 0.65 }, stETH: { priceUsd: 3195 } },
  accounts: [
    {
      id: 'a',
      positions: [
        { kind: 'spot', asset: 'stETH', quantity: 100 },
        { kind: 'option', underlying: 'ETH', type: 'put', strike: 3000, timeYears: 30 / 365, quantity: -20 },
      ],
    },
  ],
};

describe('monotone in chain health', () => {
  for (const [name, path] of paths) {
    it(`behavior: hazard, margin and cover never fall along ${name}`, () => {
      const hazards: number[] = [];
      const margins: number[] = [];
      const premiums: number[] = [];
      for (const step of path) {
        const live = { level: step.level, ...(step.signals ? { signals: step.signals } : {}) };
        hazards.push(hazardPerYear({ chain: 'ethereum', live }).hazardPerYear);
        const status: RiskStatus = { ethereum: live };
        margins.push(computeMargin({ portfolio: book, status }).totals.initialMarginUsd);
        premiums.push(
          priceCover({
            policies: [{ asset: 'stETH', insuredUsd: 1e6 }],
            status,
            horizonYears: 30 / 365,
            capitalUsd: 1e5,
            paths: 20_000,
          }).premiumUsd,
        );
      }
      nonDecreasing(hazards, 'hazard');
      nonDecreasing(margins, 'initial margin');
      nonDecreasing(premiums, 'cover premium');
      assert.ok(hazards.at(-1)! > hazards[0]!, 'the worst state raises the hazard');
    });
  }

  it('behavior: the put price never falls as the breaker level rises, through the post-event state', () => {
    const prices = LEVELS.map((level) => putPrice(level, undefined));
    nonDecreasing(prices, 'put price');
    assert.ok(prices.at(-1)! > prices[0]!);
  });
});
