import type { Scenario } from '../scenario.ts';

const SLOT_MS = 12_000;
const FORK_SLOT = 42;

/** Ethereum beacon chain, 25 May 2022: a seven-block reorganization. */
export const reorg7: Scenario = {
  name: 'reorg-7',
  description:
    'Ethereum beacon chain, 25 May 2022 (eth-beacon-2022-05-25-seven-block-reorg): after the late block of ' +
    'slot 3,887,074, validators that had proposer boost and those that had not (a partial roll-out) followed ' +
    'different heads; the blocks of slots 3,887,075 to 3,887,081 (epoch 121,471, from 08:55:23 UTC) were ' +
    'orphaned, a 7-block reorg. Here the block of slot 41 is released 6 s late; for the next seven slots the ' +
    'proposers (35% of stake, on the three watched nodes) build on it while the other 65% of the stake cannot ' +
    'hear them and keeps attesting its parent. The views merge in slot 49 after a block on the other side ' +
    'has collected the 65% of attestations: the watched nodes reorganize 7 blocks deep, a chain-level reorg ' +
    'of depth exactly 7.',
  incident: 'eth-beacon-2022-05-25-seven-block-reorg',
  chain: 'ethereum',
  preset: 'ethereum',
  consensus: 'pos',
  genesisHeight: 14_840_000n,
  nodes: [
    { name: 'lighthouse-1', client: 'Lighthouse/v2.2.1', watched: true },
    { name: 'prysm-1', client: 'Prysm/v2.1.2', watched: true },
    { name: 'teku-1', client: 'Teku/v22.5.1', watched: true },
    { name: 'pool-b1', client: 'Prysm/v2.1.1' },
    { name: 'pool-b2', client: 'Lighthouse/v2.2.0' },
  ],
  producers: [
    { name: 'a1', node: 'lighthouse-1', weight: 12 },
    { name: 'a2', node: 'prysm-1', weight: 12 },
    { name: 'a3', node: 'teku-1', weight: 11 },
    { name: 'b1', node: 'pool-b1', weight: 17 },
    { name: 'b2', node: 'pool-b1', weight: 16 },
    { name: 'b3', node: 'pool-b2', weight: 16 },
    { name: 'b4', node: 'pool-b2', weight: 16 },
  ],
  durationMs: 100 * SLOT_MS,
  lateSlots: { [FORK_SLOT - 1]: 6_000 },
  proposers: {
    [FORK_SLOT]: 'a1',
    [FORK_SLOT + 1]: 'a2',
    [FORK_SLOT + 2]: 'a3',
    [FORK_SLOT + 3]: 'a1',
    [FORK_SLOT + 4]: 'a2',
    [FORK_SLOT + 5]: 'a3',
    [FORK_SLOT + 6]: 'a1',
    [FORK_SLOT + 7]: 'b1',
  },
  events: [
    {
      atMs: FORK_SLOT * SLOT_MS,
      action: {
        type: 'partition',
        groups: [
          ['lighthouse-1', 'prysm-1', 'teku-1'],
          ['pool-b1', 'pool-b2'],
        ],
      },
    },
    { atMs: (FORK_SLOT + 7) * SLOT_MS + 6_000, action: { type: 'heal' } },
  ],
  expect: { signals: ['reorg'], chainReorgDepth: { min: 7, max: 7 }, minLevel: 'reduce_only' },
};
