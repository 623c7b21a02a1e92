import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_INCIDENTS, DEFAULT_OBSERVATION_WINDOWS } from './defaultIncidents.ts';
import {
  estimateIncidentRates,
  MS_PER_YEAR,
  type SkipReason,
  toIncidentStartMs,
} from './estimateIncidentRates.ts';
import { HazardError } from './hazardError.ts';
import { type IncidentKind, type IncidentRecord, toIncidentRecords } from './toIncidentRecords.ts';

function assertClose(actual: number, expected: number, relTol = 1e-12): void {
  assert.ok(
    Math.abs(actual - expected) <= relTol * Math.abs(expected),
    `expected ${expected}, got ${actual} (relative tolerance ${relTol})`,
  );
}

const tableUrl = new URL('../../../data/incidents/incidents.json', import.meta.url);

describe('estimateIncidentRates', () => {
  const result = estimateIncidentRates({
    incidents: DEFAULT_INCIDENTS,
    windows: DEFAULT_OBSERVATION_WINDOWS,
  });

  // Counted by hand from `jq -r '.[] | select(.network=="mainnet" or .network=="mainnet-beta")
  //   | [.chain,.kind,.start_utc,(.numbers.depth_blocks // .numbers.depth),(.numbers.incidents // 1)]
  //   | @tsv' data/incidents/incidents.json`, applying the documented rules by eye:
  // ethereum: 5 reorg rows, of which only the 7-block reorg of 2022-05-25 counts (the statistics
  //   row names a span, `2021-07/08` has no full date, two rows have depth 1); 2 finality stalls;
  //   4 chain splits (2020-11-11, 2024-01-06, 2024-01-21, 2025-12-03); 1 liveness (2025-12-04).
  // gnosis: one liveness row with `incidents: 4`. bitcoin: 2 chain splits (2010, 2013); the 2023
  //   reorg row names a span. polygon-pos: the 150+ block reorg and the 2022-03 halt (Mumbai is a
  //   testnet). solana: 7 liveness rows on mainnet-beta.
  const handCounts: Record<string, Record<IncidentKind, number>> = {
    bitcoin: { reorg: 0, liveness: 0, finality_stall: 0, chain_split: 2 },
    ethereum: { reorg: 1, liveness: 1, finality_stall: 2, chain_split: 4 },
    gnosis: { reorg: 0, liveness: 4, finality_stall: 0, chain_split: 0 },
    'polygon-pos': { reorg: 1, liveness: 1, finality_stall: 0, chain_split: 0 },
    solana: { reorg: 0, liveness: 7, finality_stall: 0, chain_split: 0 },
  };
  for (const [chain, kinds] of Object.entries(handCounts)) {
    it(`default: counts of ${chain} match the hand count`, () => {
      const rates = result.chains[chain];
      assert.ok(rates);
      for (const [kind, count] of Object.entries(kinds) as Array<[IncidentKind, number]>) {
        assert.equal(rates.byKind[kind].count, count, `${chain}/${kind}`);
      }
      assert.equal(
        rates.count,
        Object.values(kinds).reduce((a, b) => a + b, 0),
      );
    });
  }

  it('default: every skipped record with its reason', () => {
    const skipped = Object.fromEntries(result.skipped.map((s) => [s.id, s.reason]));
    const expected: Record<string, SkipReason> = {
      'eth-beacon-post-merge-reorg-statistics-to-aug-2023': 'undated_or_span',
      'eth-beacon-2022-03-single-slot-reorgs-observed': 'routine_reorg',
      'eth-holesky-2025-02-24-pectra-split': 'network',
      'eth-sepolia-2025-03-05-pectra-empty-blocks': 'network',
      'eth-pow-2021-08-reorg-examples-flashbots': 'undated_or_span',
      'eth-pow-2021-03-29-block-12133140-fork': 'routine_reorg',
      'btc-2023-one-block-stale-events-two-nodes': 'undated_or_span',
      'polygon-mumbai-2023-07-20-halt': 'network',
    };
    assert.deepEqual(skipped, expected);
    // 28 rows in the table: 20 counted, 8 skipped.
    assert.equal(result.counted.length, 20);
  });

  // Windows in days, counted with Python: (date(2026,1,1) - date(2015,7,30)).days and so on.
  // Estimate (0.5 + n) / T per kind, T = days / 365, summed over the four kinds for the chain.
  const daysByChain: Record<string, number> = {
    bitcoin: 6207,
    ethereum: 3808,
    gnosis: 2649,
    'polygon-pos': 2041,
    solana: 2117,
  };
  // Totals from Python: sum over kinds of (0.5 + n_k) / T.
  const expectedTotal: Record<string, number> = {
    bitcoin: 0.2352183019171903,
    ethereum: 0.9585084033613447,
    gnosis: 0.8267270668176672,
    'polygon-pos': 0.7153356197942184,
    solana: 1.5517241379310347,
  };
  for (const [chain, days] of Object.entries(daysByChain)) {
    it(`default: Jeffreys posterior mean of ${chain}`, () => {
      const rates = result.chains[chain]!;
      const years = days / 365;
      assertClose(rates.exposureYears, years);
      for (const [kind, n] of Object.entries(handCounts[chain]!) as Array<[IncidentKind, number]>) {
        const rate = rates.byKind[kind];
        assertClose(rate.ratePerYear, (0.5 + n) / years);
        assertClose(rate.sdPerYear, Math.sqrt(0.5 + n) / years);
        assert.equal(rate.mleRatePerYear, n / years);
      }
      assertClose(rates.ratePerYear, expectedTotal[chain]!);
    });
  }

  it('behavior: a kind never seen gets 0.5 / T, not zero', () => {
    const liveness = result.chains.bitcoin!.byKind.liveness;
    assert.equal(liveness.count, 0);
    assertClose(liveness.ratePerYear, 0.5 / (6207 / 365));
    assert.ok(liveness.ratePerYear > 0);
  });

  const start = Date.UTC(2020, 0, 1);
  const twoYears = { startMs: start, endMs: start + 2 * MS_PER_YEAR };
  const record = (id: string, startUtc: string, extra: Partial<IncidentRecord> = {}): IncidentRecord => ({
    id,
    chain: 'x',
    network: 'mainnet',
    kind: 'liveness',
    start_utc: startUtc,
    ...extra,
  });

  it('args: prior Gamma(1, 2 years), 3 incidents in 2 years', () => {
    const { chains } = estimateIncidentRates({
      incidents: [record('a', '2020-02-01'), record('b', '2020-06-01T12:00Z'), record('c', '2021-12-30')],
      windows: { x: twoYears },
      prior: { shape: 1, rateYears: 2 },
    });
    const liveness = chains.x!.byKind.liveness;
    // Posterior Gamma(1 + 3, 2 + 2): mean 4 / 4 = 1, sd sqrt(4) / 4 = 0.5, MLE 3 / 2.
    assert.equal(liveness.posteriorShape, 4);
    assert.equal(liveness.posteriorRateYears, 4);
    assert.equal(liveness.ratePerYear, 1);
    assert.equal(liveness.sdPerYear, 0.5);
    assert.equal(liveness.mleRatePerYear, 1.5);
    // Other kinds: Gamma(1, 4): 0.25 each. Total 1 + 3 * 0.25.
    assert.equal(chains.x!.byKind.reorg.ratePerYear, 0.25);
    assert.equal(chains.x!.ratePerYear, 1.75);
  });

  it('args: prior Gamma(0, 0) gives the maximum-likelihood estimate', () => {
    const { chains } = estimateIncidentRates({
      incidents: [record('a', '2020-02-01')],
      windows: { x: twoYears },
      prior: { shape: 0, rateYears: 0 },
    });
    assert.equal(chains.x!.byKind.liveness.ratePerYear, 0.5);
    assert.equal(chains.x!.byKind.reorg.ratePerYear, 0);
  });

  it('behavior: window bounds are [start, end)', () => {
    const { counted, skipped } = estimateIncidentRates({
      incidents: [
        record('before', '2019-12-31T23:59:59Z'),
        record('first', '2020-01-01T00:00:00Z'),
        record('end', new Date(twoYears.endMs).toISOString().slice(0, 19) + 'Z'),
      ],
      windows: { x: twoYears },
    });
    assert.deepEqual(
      counted.map((c) => c.id),
      ['first'],
    );
    assert.deepEqual(
      skipped.map((s) => [s.id, s.reason]),
      [
        ['before', 'outside_window'],
        ['end', 'outside_window'],
      ],
    );
  });

  const reorgCases: Array<[string, unknown, number, boolean]> = [
    ['depth 1, min 2', { depth: 1 }, 2, false],
    ['depth 2, min 2', { depth: 2 }, 2, true],
    ['depth_blocks text "150+"', { depth_blocks: '150+ (tweet)' }, 2, true],
    ['depth 1, min 1', { depth: 1 }, 1, true],
    ['depth unstated', {}, 2, true],
  ];
  for (const [name, numbers, minReorgDepth, counts] of reorgCases) {
    it(`args: reorg ${name} ${counts ? 'counts' : 'is skipped'}`, () => {
      const { chains } = estimateIncidentRates({
        incidents: [
          record('r', '2020-05-01', { kind: 'reorg', numbers: numbers as Record<string, unknown> }),
        ],
        windows: { x: twoYears },
        minReorgDepth,
      });
      assert.equal(chains.x!.byKind.reorg.count, counts ? 1 : 0);
    });
  }

  it('args: networks, excludeIds, no window; numbers.incidents counts several events', () => {
    const { chains, skipped } = estimateIncidentRates({
      incidents: [
        record('t', '2020-05-01', { network: 'testnet' }),
        record('e', '2020-05-01'),
        record('y', '2020-05-01', { chain: 'y' }),
        record('multi', '2020-05-01', { numbers: { incidents: 3 } }),
        record('bad-multi', '2020-05-01', { numbers: { incidents: 2.5 } }),
      ],
      windows: { x: twoYears },
      excludeIds: ['e'],
      networks: ['mainnet', 'testnet'],
    });
    assert.equal(chains.x!.byKind.liveness.count, 1 + 3 + 1);
    assert.deepEqual(
      skipped.map((s) => [s.id, s.reason]),
      [
        ['e', 'excluded'],
        ['y', 'no_window'],
      ],
    );
  });

  const badInputs: Array<[string, () => unknown, string]> = [
    [
      'empty window',
      () => estimateIncidentRates({ incidents: [], windows: { x: { startMs: start, endMs: start } } }),
      'invalid_window',
    ],
    [
      'NaN window',
      () => estimateIncidentRates({ incidents: [], windows: { x: { startMs: Number.NaN, endMs: start } } }),
      'invalid_window',
    ],
    [
      'NaN prior',
      () =>
        estimateIncidentRates({
          incidents: [],
          windows: { x: twoYears },
          prior: { shape: Number.NaN, rateYears: 0 },
        }),
      'invalid_input',
    ],
    [
      'negative prior',
      () =>
        estimateIncidentRates({
          incidents: [],
          windows: { x: twoYears },
          prior: { shape: 1, rateYears: -1 },
        }),
      'invalid_input',
    ],
  ];
  for (const [name, run, code] of badInputs) {
    it(`error: ${name}`, () => {
      assert.throws(run, (error: unknown) => error instanceof HazardError && error.code === code);
    });
  }
});

describe('toIncidentStartMs', () => {
  const cases: Array<[string, number | undefined]> = [
    ['2022-05-25T08:55:23Z', Date.UTC(2022, 4, 25, 8, 55, 23)],
    ["2023-05-11T20:19Z (approx, 'around 20:19 UTC')", Date.UTC(2023, 4, 11, 20, 19)],
    ['2022-04-30 (Saturday)', Date.UTC(2022, 3, 30)],
    ['2022-03-10/11', Date.UTC(2022, 2, 10)],
    ['2022-09-15 (Merge) to ~2023-08-10 (post date)', undefined],
    ['2023-03-16 .. 2023-12-05', undefined],
    ['2021-07/08 (blocks 12969887-13123070)', undefined],
    ['2023-02-30', undefined],
    ['yesterday', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`args: ${text}`, () => assert.equal(toIncidentStartMs(text), expected));
  }
});

describe('toIncidentRecords', () => {
  it('default: the shipped table is the JSON file, field for field', () => {
    const json = JSON.parse(readFileSync(tableUrl, 'utf8')) as Array<Record<string, unknown>>;
    assert.equal(DEFAULT_INCIDENTS.length, json.length);
    assert.equal(json.length, 28);
    json.forEach((row, index) => {
      const record = DEFAULT_INCIDENTS[index]!;
      assert.deepEqual(
        [record.id, record.chain, record.network, record.kind, record.start_utc, record.numbers],
        [row.id, row.chain, row.network, row.kind, row.start_utc, row.numbers],
      );
    });
  });

  const bad: Array<[string, unknown]> = [
    ['not an array', { id: 'a' }],
    ['row not an object', [1]],
    ['unknown kind', [{ id: 'a', chain: 'c', network: 'mainnet', kind: 'outage', start_utc: '2020-01-01' }]],
    ['missing chain', [{ id: 'a', network: 'mainnet', kind: 'reorg', start_utc: '2020-01-01' }]],
    [
      'numbers not an object',
      [{ id: 'a', chain: 'c', network: 'm', kind: 'reorg', start_utc: 'x', numbers: 3 }],
    ],
  ];
  for (const [name, value] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => toIncidentRecords(value),
        (error: unknown) => error instanceof HazardError && error.code === 'invalid_incident',
      );
    });
  }
});
