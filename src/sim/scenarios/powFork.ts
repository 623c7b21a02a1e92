import type { Scenario } from '../scenario.ts';

const V08 = 'Satoshi:0.8.0';
const V07 = 'Satoshi:0.7.2';

/** Bitcoin, 11 March 2013: the 0.8 / 0.7 fork at height 225,430. */
export const powFork: Scenario = {
  name: 'pow-fork',
  description:
    'Bitcoin, 11 March 2013 (btc-2013-03-11-bdb-lock-fork, BIP 50): a large block at height 225,430, accepted ' +
    'by 0.8 nodes, exceeded a Berkeley DB lock limit of 0.7 nodes, which rejected it and everything built on ' +
    'it. About 60% of the hash power ran 0.8 and extended that branch, the rest extended the 0.7 branch; the ' +
    'big pools then went back to 0.7 and the 0.8 branch, 24 blocks by the usual account (the stored sources ' +
    'do not give the number), was orphaned when the 0.7 branch overtook it. Here 0.7 nodes reject every block ' +
    'a 0.8 node builds from height 225,430; the 0.8 miners (60%) build 24 blocks on their branch and then ' +
    'move their hash power to a 0.7 node. Three watched 0.8 nodes follow the 0.8 branch (the canonical head ' +
    'by quorum) while two watched 0.7 nodes follow another one (divergence) and fall behind (lag); once the ' +
    '0.7 branch is longer, the 0.8 nodes reorganize: a chain-level reorg of depth 24.',
  incident: 'btc-2013-03-11-bdb-lock-fork',
  chain: 'bitcoin',
  preset: 'bitcoin',
  consensus: 'pow',
  genesisHeight: 225_425n,
  nodes: [
    { name: 'exchange-08-1', client: V08, watched: true },
    { name: 'exchange-08-2', client: V08, watched: true },
    { name: 'explorer-08', client: V08, watched: true },
    { name: 'merchant-07-1', client: V07, watched: true },
    { name: 'merchant-07-2', client: V07, watched: true },
    { name: 'pool-08', client: V08 },
    { name: 'pool-07', client: V07 },
  ],
  producers: [
    { name: 'pools-08', node: 'pool-08', weight: 60 },
    { name: 'pools-07', node: 'pool-07', weight: 40 },
  ],
  durationMs: 20 * 3_600_000,
  // Twenty hours of chain time: a tick a minute keeps the run at a few thousand observations.
  tickMs: 60_000,
  events: [
    { atMs: 0, action: { type: 'clientBug', client: V07, fromHeight: 225_430n, mutual: false } },
    {
      diverged: { node: 'pool-08', other: 'pool-07', blocks: 24 },
      action: { type: 'moveProducers', producers: ['pools-08'], node: 'pool-07' },
    },
  ],
  expect: {
    signals: ['divergence', 'lag', 'reorg'],
    chainReorgDepth: { min: 24, max: 24 },
    minLevel: 'reduce_only',
  },
};
