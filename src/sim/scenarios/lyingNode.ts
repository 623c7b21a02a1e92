import type { Scenario } from '../scenario.ts';
import { toEthereumNetwork } from './toEthereumNetwork.ts';

const SLOT_MS = 12_000;

/** One node serves a header whose hash does not match, later a known hash with other contents. */
export const lyingNode: Scenario = {
  name: 'lying-node',
  description:
    'A generic shape, no single incident: on a healthy Ethereum network one watched node serves bad data ' +
    'twice. At slot 40 it serves a head whose header does not hash to the hash it claims (the source, ' +
    'recomputing the hash, reports an `integrity` error naming both hashes); at slot 80 it serves a block ' +
    'under a hash the monitor already knows, with another height and parent (a conflicting header). Both ' +
    'are integrity failures of that node; the chain itself is fine.',
  incident: null,
  chain: 'ethereum',
  preset: 'ethereum',
  consensus: 'pos',
  genesisHeight: 19_200_000n,
  ...toEthereumNetwork({ name: 'rpc-provider', client: 'Geth/v1.13.11' }),
  durationMs: 120 * SLOT_MS,
  events: [
    { atMs: 40 * SLOT_MS, action: { type: 'corruptHeader', node: 'rpc-provider' } },
    { atMs: 80 * SLOT_MS, action: { type: 'conflictingHeader', node: 'rpc-provider' } },
  ],
  expect: { signals: ['integrity'], nodes: ['rpc-provider'], maxLevel: 'caution' },
};
