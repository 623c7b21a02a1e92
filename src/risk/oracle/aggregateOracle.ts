import { type Level, levelRank } from '../../breaker/levels.ts';
import { assertInRange, RiskError } from '../contagion/riskError.ts';

/** One price source's latest report for an asset. */
export type OracleQuote = {
  /** Unique name of the source (e.g. `chainlink-eth-mainnet`). */
  source: string;
  /** The chain the source publishes on or reads from: its health decides whether the quote counts. */
  chain: string;
  valueUsd: number;
  /** When the value was published, ms since the Unix epoch. */
  timestampMs: number;
};

export type OracleDropReason = 'unhealthy_chain' | 'stale' | 'future' | 'invalid_value' | 'deviation';

export type DroppedQuote = { source: string; chain: string; reason: OracleDropReason; detail: string };

export type AggregateOracleParameters = {
  asset: string;
  quotes: readonly OracleQuote[];
  /** The time of the evaluation, ms since the Unix epoch (pure code reads no clock). */
  nowMs: number;
  /** Breaker level per chain; chains not listed are `normal`. */
  chainLevels?: Readonly<Record<string, Level>>;
  /** Quotes of chains at or above this level are dropped. Default `halt`. */
  dropAtLevel?: Level;
  /** Oldest accepted quote, in ms. Default 60 000. */
  maxAgeMs?: number;
  /** Quotes this far ahead of `nowMs` are dropped (clock skew allowance), in ms. Default 5 000. */
  maxFutureMs?: number;
  /** Largest relative distance from the first median, |v / median - 1|. Default 0.02. */
  maxDeviation?: number;
  /** Fewest valid quotes for a price. Default 3. */
  minSources?: number;
  /** Level the `unobservable` alert asks the asset's markets to go to. Default `reduce_only`. */
  unobservableLevel?: Level;
};

/**
 * The breaker-facing form of an unobservable price: the same fields as a signal (`kind`,
 * `severity`, `atMs`, `message`), the asset and chains concerned, and the level it asks for. A
 * breaker rule set keyed on `kind: 'oracle'` maps it like a condition signal: the level holds while
 * the price stays unobservable.
 */
export type OracleAlert = {
  kind: 'oracle';
  asset: string;
  severity: 'critical';
  atMs: number;
  message: string;
  /** Chains of the quotes, valid or not: the markets whose breakers should take the alert. */
  chains: string[];
  requestedLevel: Level;
};

export type AggregateOracleReturnType =
  | {
      status: 'ok';
      asset: string;
      /** Median of the quotes that passed every check. */
      priceUsd: number;
      used: OracleQuote[];
      dropped: DroppedQuote[];
    }
  | {
      status: 'unobservable';
      asset: string;
      /** Valid quotes left, fewer than `minSources`. */
      validSources: number;
      minSources: number;
      dropped: DroppedQuote[];
      alert: OracleAlert;
    };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Aggregates the price of one asset from several sources:
 *
 * 1. drop quotes whose chain's breaker is at or above `dropAtLevel` (`unhealthy_chain`), with a
 *    value that is not a positive finite number (`invalid_value`), older than `maxAgeMs`
 *    (`stale`) or more than `maxFutureMs` ahead (`future`);
 * 2. m = median of the rest; drop quotes with |v / m - 1| > `maxDeviation` (`deviation`);
 * 3. fewer than `minSources` left: `unobservable` with an {@link OracleAlert}; else the median of
 *    those left.
 *
 * Never returns a number from stale or dropped quotes.
 *
 * @throws {RiskError} `invalid_input` for bad parameters (a negative age, `minSources` < 1).
 */
export function aggregateOracle(parameters: AggregateOracleParameters): AggregateOracleReturnType {
  const maxAgeMs = parameters.maxAgeMs ?? 60_000;
  const maxFutureMs = parameters.maxFutureMs ?? 5_000;
  const maxDeviation = parameters.maxDeviation ?? 0.02;
  const minSources = parameters.minSources ?? 3;
  const dropAtLevel = parameters.dropAtLevel ?? 'halt';
  assertInRange(parameters.nowMs, 'nowMs', -Number.MAX_VALUE, Number.MAX_VALUE);
  assertInRange(maxAgeMs, 'maxAgeMs', 0, Number.MAX_VALUE);
  assertInRange(maxFutureMs, 'maxFutureMs', 0, Number.MAX_VALUE);
  assertInRange(maxDeviation, 'maxDeviation', 0, Number.MAX_VALUE);
  if (!Number.isInteger(minSources) || minSources < 1) {
    throw new RiskError('invalid_input', `minSources must be an integer >= 1, got ${minSources}`, {
      field: 'minSources',
      value: minSources,
    });
  }
  const dropped: DroppedQuote[] = [];
  const fresh: OracleQuote[] = [];
  for (const quote of parameters.quotes) {
    const level = parameters.chainLevels?.[quote.chain] ?? 'normal';
    const ageMs = parameters.nowMs - quote.timestampMs;
    const drop = (reason: OracleDropReason, detail: string) =>
      dropped.push({ source: quote.source, chain: quote.chain, reason, detail });
    if (levelRank(level) >= levelRank(dropAtLevel))
      drop('unhealthy_chain', `chain ${quote.chain} is at ${level}`);
    else if (!(quote.valueUsd > 0) || !Number.isFinite(quote.valueUsd))
      drop('invalid_value', `value ${quote.valueUsd}`);
    else if (!Number.isFinite(quote.timestampMs)) drop('invalid_value', `timestamp ${quote.timestampMs}`);
    else if (ageMs > maxAgeMs) drop('stale', `${ageMs} ms old, limit ${maxAgeMs} ms`);
    else if (-ageMs > maxFutureMs) drop('future', `${-ageMs} ms ahead, limit ${maxFutureMs} ms`);
    else fresh.push(quote);
  }
  const used: OracleQuote[] = [];
  if (fresh.length > 0) {
    const first = median(fresh.map((q) => q.valueUsd));
    for (const quote of fresh) {
      const deviation = Math.abs(quote.valueUsd / first - 1);
      if (deviation > maxDeviation) {
        dropped.push({
          source: quote.source,
          chain: quote.chain,
          reason: 'deviation',
          detail: `${(deviation * 100).toFixed(2)}% from median ${first}, limit ${(maxDeviation * 100).toFixed(2)}%`,
        });
      } else used.push(quote);
    }
  }
  if (used.length < minSources) {
    const chains = [...new Set(parameters.quotes.map((q) => q.chain))].sort();
    return {
      status: 'unobservable',
      asset: parameters.asset,
      validSources: used.length,
      minSources,
      dropped,
      alert: {
        kind: 'oracle',
        asset: parameters.asset,
        severity: 'critical',
        atMs: parameters.nowMs,
        message: `${parameters.asset} price unobservable: ${used.length} valid source(s), ${minSources} needed`,
        chains,
        requestedLevel: parameters.unobservableLevel ?? 'reduce_only',
      },
    };
  }
  return {
    status: 'ok',
    asset: parameters.asset,
    priceUsd: median(used.map((q) => q.valueUsd)),
    used,
    dropped,
  };
}
