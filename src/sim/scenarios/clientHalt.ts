import type { Scenario } from '../scenario.ts';

const SLOT_MS = 12_000;

/** Ethereum mainnet, 6 January 2024: most Besu nodes stop importing at block 18,947,893. */
export const clientHalt: Scenario = {
  name: 'client-halt',
  description:
    'Ethereum mainnet, 6 January 2024 (eth-mainnet-2024-01-06-besu-halt): a Bonsai trie-log bug in Besu up to ' +
    '23.10.3 stopped about 70% of Besu nodes from importing blocks at block 18,947,893. The chain went on: the ' +
    'other clients kept building and finalizing. Here two of the three watched Besu nodes (67%) stop ' +
    'importing just before that block, and the validators behind them (4% of stake) stop proposing and ' +
    'attesting. The canonical head keeps advancing through the other nodes: node lag for the two stuck ' +
    'nodes, not a chain halt, and no breaker moves.',
  incident: 'eth-mainnet-2024-01-06-besu-halt',
  chain: 'ethereum',
  preset: 'ethereum',
  consensus: 'pos',
  genesisHeight: 18_947_800n,
  nodes: [
    { name: 'geth-1', client: 'Geth/v1.13.8', watched: true },
    { name: 'geth-2', client: 'Geth/v1.13.8', watched: true },
    { name: 'nethermind-1', client: 'Nethermind/v1.25.1', watched: true },
    { name: 'besu-1', client: 'Besu/v23.10.3', watched: true },
    { name: 'besu-2', client: 'Besu/v23.10.3', watched: true },
    { name: 'besu-3', client: 'Besu/v23.10.2', watched: true },
    { name: 'pool-1', client: 'Geth/v1.13.8' },
  ],
  producers: [
    { name: 'v-geth-1', node: 'geth-1', weight: 25 },
    { name: 'v-geth-2', node: 'geth-2', weight: 20 },
    { name: 'v-nethermind', node: 'nethermind-1', weight: 20 },
    { name: 'v-besu-1', node: 'besu-1', weight: 2 },
    { name: 'v-besu-2', node: 'besu-2', weight: 2 },
    { name: 'v-besu-3', node: 'besu-3', weight: 2 },
    { name: 'v-pool', node: 'pool-1', weight: 29 },
  ],
  durationMs: 90 * SLOT_MS,
  events: [{ atMs: 29 * SLOT_MS, action: { type: 'freeze', nodes: ['besu-1', 'besu-2'] } }],
  expect: { signals: ['lag'], nodes: ['besu-1', 'besu-2'], maxLevel: 'normal' },
};
