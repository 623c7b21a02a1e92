import type { Scenario } from '../scenario.ts';

const SLOT_MS = 12_000;

/** A healthy Ethereum network: nothing may fire. */
export const quiet: Scenario = {
  name: 'quiet',
  description:
    'A healthy Ethereum proof-of-stake network for 400 slots (80 minutes, 12.5 epochs) watched through five ' +
    'nodes of five client implementations. Every block arrives well inside its slot and every epoch is ' +
    'justified and finalized; one small solo validator (about 1% of stake) is offline, so a slot is missed ' +
    'now and then, as on mainnet (0.76% of slots missed from the Merge to August 2023, ' +
    'eth-beacon-post-merge-reorg-statistics-to-aug-2023). A monitor must stay silent: no signal, no transition.',
  incident: 'eth-beacon-post-merge-reorg-statistics-to-aug-2023',
  chain: 'ethereum',
  preset: 'ethereum',
  consensus: 'pos',
  genesisHeight: 19_000_000n,
  nodes: [
    { name: 'geth-1', client: 'Geth/v1.13.14', watched: true },
    { name: 'nethermind-1', client: 'Nethermind/v1.25.4', watched: true },
    { name: 'besu-1', client: 'Besu/v24.1.2', watched: true },
    { name: 'erigon-1', client: 'Erigon/v2.58.1', watched: true },
    { name: 'reth-1', client: 'Reth/v0.1.0', watched: true },
    { name: 'pool-1', client: 'Geth/v1.13.14' },
  ],
  producers: [
    { name: 'v-geth', node: 'geth-1', weight: 30 },
    { name: 'v-nethermind', node: 'nethermind-1', weight: 20 },
    { name: 'v-besu', node: 'besu-1', weight: 10 },
    { name: 'v-erigon', node: 'erigon-1', weight: 8 },
    { name: 'v-reth', node: 'reth-1', weight: 4 },
    { name: 'v-pool', node: 'pool-1', weight: 27 },
    { name: 'v-solo', node: 'pool-1', weight: 1 },
  ],
  durationMs: 400 * SLOT_MS,
  events: [{ atMs: 0, action: { type: 'offline', producers: ['v-solo'] } }],
  expect: { signals: [], maxLevel: 'normal' },
};
