import type { Scenario } from '../scenario.ts';

const SLOT_MS = 12_000;
const OLD_GETH = 'Geth/v1.9.13-stable';

/** Ethereum mainnet, 11 November 2020: old Geth versions split off at block 11,234,873. */
export const clientSplit: Scenario = {
  name: 'client-split',
  description:
    'Ethereum mainnet, 11 November 2020 at 07:08 UTC (eth-mainnet-2020-11-11-geth-chain-split): Geth versions ' +
    'up to 1.9.16 computed a different state for block 11,234,873 (an EIP-211 returndata bug fixed silently ' +
    'in 1.9.17); nodes on 1.9.9 and 1.9.13, Infura among them, split from the chain at that block, and sync ' +
    'halted for them (Infura detected it at 07:15, hotfix roll-out complete 12:20). Here, on a proof-of-stake ' +
    'network with the same shape, the nodes of Geth/v1.9.13 and the others disagree on every block from ' +
    'height 11,234,873: each side rejects the blocks the other builds from there. The old-Geth side holds 8% ' +
    'of stake and builds its own short branch; its two watched nodes follow another branch from fork height ' +
    '11,234,873 (a divergence) and fall further and further behind the canonical head (lag).',
  incident: 'eth-mainnet-2020-11-11-geth-chain-split',
  chain: 'ethereum',
  preset: 'ethereum',
  consensus: 'pos',
  genesisHeight: 11_234_760n,
  nodes: [
    { name: 'geth-new-1', client: 'Geth/v1.9.17-stable', watched: true },
    { name: 'geth-new-2', client: 'Geth/v1.9.17-stable', watched: true },
    { name: 'openethereum-1', client: 'OpenEthereum/v3.1.0', watched: true },
    { name: 'infura-geth-1', client: OLD_GETH, watched: true },
    { name: 'infura-geth-2', client: OLD_GETH, watched: true },
    { name: 'pool-new', client: 'Geth/v1.9.17-stable' },
    { name: 'pool-old', client: OLD_GETH },
  ],
  producers: [
    { name: 'v-new-1', node: 'geth-new-1', weight: 20 },
    { name: 'v-new-2', node: 'geth-new-2', weight: 15 },
    { name: 'v-openethereum', node: 'openethereum-1', weight: 17 },
    { name: 'v-pool-new', node: 'pool-new', weight: 40 },
    { name: 'v-old-1', node: 'infura-geth-1', weight: 2 },
    { name: 'v-pool-old', node: 'pool-old', weight: 6 },
  ],
  durationMs: 200 * SLOT_MS,
  events: [
    { atMs: 0, action: { type: 'clientBug', client: OLD_GETH, fromHeight: 11_234_873n, mutual: true } },
  ],
  expect: {
    signals: ['divergence', 'lag'],
    forkHeight: 11_234_873n,
    nodes: ['infura-geth-1', 'infura-geth-2'],
    minLevel: 'reduce_only',
  },
};
