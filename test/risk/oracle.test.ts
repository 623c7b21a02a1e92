import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateOracle, type OracleQuote } from '../../src/risk/oracle/aggregateOracle.ts';

const nowMs = 1_700_000_000_000;
const quote = (source: string, chain: string, valueUsd: number, ageMs = 1_000): OracleQuote => ({
  source,
  chain,
  valueUsd,
  timestampMs: nowMs - ageMs,
});
const quotes = [
  quote('a', 'ethereum', 3000),
  quote('b', 'arbitrum', 3003),
  quote('c', 'solana', 2999),
  quote('d', 'gnosis', 3001),
];

describe('aggregateOracle', () => {
  it('default: the median of fresh quotes', () => {
    const result = aggregateOracle({ asset: 'ETH', quotes, nowMs });
    assert.equal(result.status, 'ok');
    assert.equal(result.status === 'ok' && result.priceUsd, (3000 + 3001) / 2);
  });

  it('behavior: a quote from a halted chain is dropped', () => {
    const withOutlier = [...quotes, quote('e', 'solana', 3500)];
    const result = aggregateOracle({
      asset: 'ETH',
      quotes: withOutlier,
      nowMs,
      chainLevels: { solana: 'halt' },
    });
    assert.ok(result.status === 'ok');
    assert.deepEqual(
      result.dropped.map((d) => [d.source, d.reason]),
      [
        ['c', 'unhealthy_chain'],
        ['e', 'unhealthy_chain'],
      ],
    );
    assert.equal(result.priceUsd, 3001);
    const caution = aggregateOracle({ asset: 'ETH', quotes, nowMs, chainLevels: { solana: 'caution' } });
    assert.equal(caution.status === 'ok' && caution.used.length, 4);
  });

  it('behavior: a stale quote is dropped, and so is one from the future', () => {
    const result = aggregateOracle({
      asset: 'ETH',
      quotes: [
        ...quotes.slice(0, 3),
        quote('old', 'ethereum', 2000, 61_000),
        quote('ahead', 'ethereum', 1, -6_000),
      ],
      nowMs,
    });
    assert.ok(result.status === 'ok');
    assert.deepEqual(
      result.dropped.map((d) => [d.source, d.reason]),
      [
        ['old', 'stale'],
        ['ahead', 'future'],
      ],
    );
    assert.equal(result.priceUsd, 3000);
  });

  it('behavior: a quote far from the median is dropped', () => {
    const result = aggregateOracle({
      asset: 'ETH',
      quotes: [...quotes, quote('bad', 'ethereum', 2500)],
      nowMs,
    });
    assert.ok(result.status === 'ok');
    assert.deepEqual(
      result.dropped.map((d) => d.source),
      ['bad'],
    );
  });

  it('behavior: too few valid quotes give unobservable with an alert, never a stale number', () => {
    const result = aggregateOracle({
      asset: 'ETH',
      quotes: [
        quote('a', 'ethereum', 3000),
        quote('b', 'solana', 3001, 120_000),
        quote('c', 'arbitrum', 3002),
      ],
      nowMs,
      chainLevels: { arbitrum: 'settlement_hold' },
    });
    assert.equal(result.status, 'unobservable');
    assert.ok(result.status === 'unobservable');
    assert.equal('priceUsd' in result, false);
    assert.equal(result.validSources, 1);
    assert.deepEqual(result.alert, {
      kind: 'oracle',
      asset: 'ETH',
      severity: 'critical',
      atMs: nowMs,
      message: 'ETH price unobservable: 1 valid source(s), 3 needed',
      chains: ['arbitrum', 'ethereum', 'solana'],
      requestedLevel: 'reduce_only',
    });
  });

  it('error: minSources below 1', () => {
    assert.throws(() => aggregateOracle({ asset: 'ETH', quotes, nowMs, minSources: 0 }), {
      name: 'RiskError',
      field: 'minSources',
    });
  });
});
