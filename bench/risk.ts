import { priceCover } from '../src/risk/cover/priceCover.ts';
import { simulateLosses } from '../src/risk/cover/simulateLosses.ts';
import { computeMargin } from '../src/risk/margin/computeMargin.ts';
import { DEFAULT_MARGIN_POLICY } from '../src/risk/margin/marginPolicy.ts';
import type { MarginAccount, Portfolio, Position } from '../src/risk/margin/portfolio.ts';
import { createPrng } from '../src/sim/prng.ts';

/**
 * Venue-risk benchmark: portfolio margin for 100 000 positions across 1 000 accounts over the full
 * default scenario grid (13 price moves × 3 volatility shifts) plus the consensus-failure
 * scenarios, best of several rounds on one core; and Monte Carlo cover paths per second.
 */
export type RiskBenchOptions = {
  log?: (line: string) => void;
  /** Rounds per figure; the best round counts (default 5). */
  rounds?: number;
  accounts?: number;
  positionsPerAccount?: number;
  /** Monte Carlo paths per round (default 1 000 000). */
  paths?: number;
};

export type RiskBenchReturnType = {
  positions: number;
  accounts: number;
  scenarios: number;
  marginMs: number;
  optionRepricingsPerSecond: number;
  coverPaths: number;
  coverMs: number;
  pathsPerSecond: number;
  /** Paths per second of the whole `priceCover` (sampling, sorting, quantiles). */
  pricedPathsPerSecond: number;
};

/** A synthetic book: 70% options, 20% perpetuals, 10% spot, over the default graph's assets. */
export function createBenchPortfolio(accounts: number, positionsPerAccount: number, seed = 1): Portfolio {
  const prng = createPrng(seed, 'risk-bench');
  const underlyings = [
    { name: 'BTC', price: 95_000, chain: 'bitcoin' },
    { name: 'ETH', price: 3_200, chain: 'ethereum' },
    { name: 'SOL', price: 180, chain: 'solana' },
    { name: 'ARB', price: 0.8, chain: 'arbitrum' },
  ];
  const collateral = ['USDC', 'stETH', 'WBTC', 'ETH', 'BTC'];
  const book: MarginAccount[] = [];
  for (let a = 0; a < accounts; a++) {
    const positions: Position[] = [];
    for (let p = 0; p < positionsPerAccount; p++) {
      const u = underlyings[prng.int(underlyings.length)]!;
      const roll = prng.next();
      if (roll < 0.7) {
        const position: Position = {
          kind: 'option',
          underlying: u.name,
          type: prng.next() < 0.5 ? 'call' : 'put',
          strike: u.price * (0.7 + 0.6 * prng.next()),
          timeYears: (1 + prng.int(180)) / 365,
          quantity: (prng.next() - 0.5) * 20,
        };
        if (prng.next() < 0.5) position.settlementChain = 'arbitrum';
        positions.push(position);
      } else if (roll < 0.9) {
        positions.push({
          kind: 'perp',
          underlying: u.name,
          quantity: (prng.next() - 0.5) * 10,
          settlementChain: u.chain,
        });
      } else {
        positions.push({
          kind: 'spot',
          asset: collateral[prng.int(collateral.length)]!,
          quantity: 1 + 100 * prng.next(),
        });
      }
    }
    book.push({ id: `acct-${a}`, positions });
  }
  return {
    rate: 0.04,
    markets: {
      BTC: { priceUsd: 95_000, volAnnual: 0.5 },
      ETH: { priceUsd: 3_200, volAnnual: 0.65 },
      SOL: { priceUsd: 180, volAnnual: 0.8 },
      ARB: { priceUsd: 0.8, volAnnual: 0.9 },
      stETH: { priceUsd: 3_195 },
      WBTC: { priceUsd: 94_900 },
      USDC: { priceUsd: 1, stable: true },
    },
    accounts: book,
  };
}

export async function runRiskBench(options: RiskBenchOptions = {}): Promise<RiskBenchReturnType> {
  const log = options.log ?? ((line: string) => console.log(line));
  const rounds = options.rounds ?? 5;
  const accounts = options.accounts ?? 1_000;
  const perAccount = options.positionsPerAccount ?? 100;
  const portfolio = createBenchPortfolio(accounts, perAccount);
  let best = Number.POSITIVE_INFINITY;
  let result = computeMargin({ portfolio });
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    result = computeMargin({ portfolio });
    best = Math.min(best, performance.now() - t0);
  }
  const options_ = portfolio.accounts.reduce(
    (n, account) => n + account.positions.filter((p) => p.kind === 'option').length,
    0,
  );
  const gridScenarios =
    DEFAULT_MARGIN_POLICY.grid.priceMoves.length * DEFAULT_MARGIN_POLICY.grid.volShifts.length;
  const repricings = options_ * result.scenarioCount;
  log(
    `margin: ${result.positionCount} positions (${options_} options), ${accounts} accounts, ${result.scenarioCount} scenarios (${gridScenarios} grid + ${result.failureScenarios.length} failure): ${best.toFixed(1)} ms (target < 1000 ms), ${(((repricings / best) * 1000) / 1e6).toFixed(1)} M option repricings/s`,
  );

  const paths = options.paths ?? 1_000_000;
  const means = [0.9585, 0.2352, 1.5517, 1, 0.1, 0.02, 0.02];
  // Four policies (stETH 5M, WBTC 3M, ARB 1M, USDC 4M) and their loss fraction per source.
  const insured = [5e6, 3e6, 1e6, 4e6];
  const fractions = [
    [0.21, 0, 0, 0, 0, 0, 0],
    [0.1, 0.02, 0, 0, 0, 1, 0],
    [0.013, 0, 0, 0.008, 0.016, 0, 0],
    [0.05, 0, 0, 0, 0, 0, 1],
  ];
  let bestSim = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    simulateLosses(means, insured, fractions, paths, round + 1);
    bestSim = Math.min(bestSim, performance.now() - t0);
  }
  const pathsPerSecond = (paths / bestSim) * 1000;
  log(
    `cover Monte Carlo: ${paths} paths × ${means.length} sources: ${bestSim.toFixed(1)} ms, ${(pathsPerSecond / 1e6).toFixed(2)} M paths/s`,
  );
  let bestPriced = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    priceCover({
      policies: [
        { asset: 'stETH', insuredUsd: 5e6 },
        { asset: 'WBTC', insuredUsd: 3e6 },
        { asset: 'ARB', insuredUsd: 1e6 },
        { asset: 'USDC', insuredUsd: 4e6 },
      ],
      horizonYears: 1,
      capitalUsd: 2e6,
      paths,
      seed: round + 1,
    });
    bestPriced = Math.min(bestPriced, performance.now() - t0);
  }
  const pricedPathsPerSecond = (paths / bestPriced) * 1000;
  log(
    `priceCover (sample, sort, quantiles, ruin): ${bestPriced.toFixed(1)} ms, ${(pricedPathsPerSecond / 1e6).toFixed(2)} M paths/s`,
  );
  return {
    positions: result.positionCount,
    accounts,
    scenarios: result.scenarioCount,
    marginMs: best,
    optionRepricingsPerSecond: (repricings / best) * 1000,
    coverPaths: paths,
    coverMs: bestSim,
    pathsPerSecond,
    pricedPathsPerSecond,
  };
}
