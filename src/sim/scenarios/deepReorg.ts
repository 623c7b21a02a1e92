import type { Scenario } from '../scenario.ts';

const SLOT_MS = 2_000;
const SPLIT_SLOT = 30;
const SPLIT_SLOTS = 161;

/** Polygon PoS, 22 February 2023: a reorganization of more than 150 blocks. */
export const deepReorg: Scenario = {
  name: 'deep-reorg',
  description:
    'Polygon PoS, 22 February 2023 (polygon-2023-02-22-deep-reorg): an unusually large reorg, "150+ blocks" by ' +
    'a user report, two minutes before nodes went out of sync around 08:26 UTC; user nodes were stuck at ' +
    'block 39,600,557. Bor seals blocks Clique-style: an in-turn producer each 2 s slot, backups after a ' +
    'delay, the heaviest total difficulty wins. Here the producers split into two groups that cannot hear ' +
    'each other for 161 slots (5 min 22 s): the three watched nodes sit with 35% of the producers, which ' +
    'back each other up and keep a block in every slot, while the other 65% build a heavier branch (more ' +
    'in-turn blocks). When the groups reconnect the watched nodes switch to the heavier branch: a ' +
    'chain-level reorg of 161 blocks. Heimdall checkpoints are not modeled: no finality.',
  incident: 'polygon-2023-02-22-deep-reorg',
  chain: 'polygon-pos',
  preset: 'ethereum',
  params: {
    blockTime: { kind: 'slots', slotMs: SLOT_MS, slotsPerEpoch: 16 },
    finality: { enabled: false },
  },
  consensus: 'poa',
  genesisHeight: 39_599_900n,
  nodes: [
    { name: 'bor-1', client: 'bor/v0.3.3', watched: true },
    { name: 'bor-2', client: 'bor/v0.3.3', watched: true },
    { name: 'bor-3', client: 'bor/v0.3.4-beta', watched: true },
    { name: 'sentry-b1', client: 'bor/v0.3.3' },
    { name: 'sentry-b2', client: 'bor/v0.3.3' },
  ],
  producers: [
    { name: 'p-a1', node: 'bor-1', weight: 12 },
    { name: 'p-a2', node: 'bor-2', weight: 12 },
    { name: 'p-a3', node: 'bor-3', weight: 11 },
    { name: 'p-b1', node: 'sentry-b1', weight: 22 },
    { name: 'p-b2', node: 'sentry-b1', weight: 21 },
    { name: 'p-b3', node: 'sentry-b2', weight: 22 },
  ],
  durationMs: (SPLIT_SLOT + SPLIT_SLOTS + 60) * SLOT_MS,
  events: [
    {
      atMs: SPLIT_SLOT * SLOT_MS,
      action: {
        type: 'partition',
        groups: [
          ['bor-1', 'bor-2', 'bor-3'],
          ['sentry-b1', 'sentry-b2'],
        ],
      },
    },
    { atMs: (SPLIT_SLOT + SPLIT_SLOTS - 1) * SLOT_MS + 1_500, action: { type: 'heal' } },
  ],
  expect: { signals: ['reorg'], chainReorgDepth: { min: 150, max: 200 }, minLevel: 'reduce_only' },
};
