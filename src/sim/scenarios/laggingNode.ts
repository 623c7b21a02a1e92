import type { Scenario } from '../scenario.ts';
import { toEthereumNetwork } from './toEthereumNetwork.ts';

const SLOT_MS = 12_000;

/** One node stops updating for five minutes, then catches up; nothing else happens. */
export const laggingNode: Scenario = {
  name: 'lagging-node',
  description:
    'A generic shape, no single incident (the node-level half of eth-mainnet-2024-01-06-besu-halt): on a healthy ' +
    'Ethereum network one watched node, with no validators behind it, stops importing blocks for 25 slots ' +
    '(5 minutes: a stuck disk, a long compaction) and then imports the backlog at once. The other nodes and ' +
    'the chain are fine: node lag for that node only, no breaker moves.',
  incident: null,
  chain: 'ethereum',
  preset: 'ethereum',
  consensus: 'pos',
  genesisHeight: 19_100_000n,
  ...toEthereumNetwork({ name: 'erigon-1', client: 'Erigon/v2.58.1' }),
  durationMs: 100 * SLOT_MS,
  events: [
    { atMs: 30 * SLOT_MS + 2_000, action: { type: 'freeze', nodes: ['erigon-1'] } },
    { atMs: 55 * SLOT_MS + 1_500, action: { type: 'unfreeze', nodes: ['erigon-1'] } },
  ],
  expect: { signals: ['lag'], nodes: ['erigon-1'], maxLevel: 'normal' },
};
