import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateOracle } from './aggregateOracle.ts';
import { toStorageQuote } from './toStorageQuote.ts';

const at = (value: bigint, timestamp = 1_700_000_000) => ({ value, block: { timestamp } });

describe('toStorageQuote', () => {
  // Prices written by hand from the decimal point's place, not by the code under test.
  const cases: Array<
    [string, Parameters<typeof toStorageQuote>[0]['verified'], number, number, number?, number?]
  > = [
    ['8 decimals (Chainlink style)', at(350_012_345_678n), 8, 3500.12345678],
    ['18 decimals (wad)', at(1_500_000_000_000_000_000n), 18, 1.5],
    ['0 decimals', at(42n), 0, 42],
    ['a price packed above a 64-bit timestamp', at((4_200_000_000n << 64n) | 0xffff_ffffn), 8, 42, 64, 128],
    ['a 128-bit price below other fields', at((7n << 128n) | 250_000n), 2, 2500, 0, 128],
  ];
  for (const [name, verified, decimals, usd, shiftBits, bits] of cases) {
    it(`default: ${name}`, () => {
      const parameters: Parameters<typeof toStorageQuote>[0] = {
        source: 's',
        chain: 'c',
        verified,
        decimals,
      };
      if (shiftBits !== undefined) parameters.shiftBits = shiftBits;
      if (bits !== undefined) parameters.bits = bits;
      assert.deepEqual(toStorageQuote(parameters), {
        source: 's',
        chain: 'c',
        valueUsd: usd,
        timestampMs: verified.block.timestamp * 1000,
      });
    });
  }

  it('behavior: storage quotes go through aggregateOracle, a quote from an old block is stale', () => {
    const quote = (source: string, value: bigint, timestamp: number) =>
      toStorageQuote({ source, chain: 'mainnet', verified: at(value, timestamp), decimals: 8 });
    const result = aggregateOracle({
      asset: 'ETH-USD',
      quotes: [
        quote('a', 300_000_000_000n, 1000),
        quote('b', 301_000_000_000n, 1000),
        quote('c', 302_000_000_000n, 1000),
        quote('old', 250_000_000_000n, 900),
      ],
      nowMs: 1_010_000,
      maxAgeMs: 60_000,
    });
    assert.equal(result.status, 'ok');
    assert.equal(result.status === 'ok' && result.priceUsd, 3010);
    assert.deepEqual(
      result.dropped.map((d) => [d.source, d.reason]),
      [['old', 'stale']],
    );
  });

  for (const [field, extra] of [
    ['decimals', { decimals: 78 }],
    ['shiftBits', { shiftBits: 256 }],
    ['bits', { shiftBits: 200, bits: 57 }],
  ] as const) {
    it(`error: ${field} outside the word`, () => {
      assert.throws(
        () => toStorageQuote({ ...{ source: 's', chain: 'c', verified: at(1n), decimals: 8 }, ...extra }),
        (error: Error & { code?: string }) =>
          error.code === 'invalid_input' && error.message.startsWith(field),
      );
    });
  }
});
