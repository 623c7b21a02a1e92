import type { Scenario } from '../scenario.ts';

const SLOT_MS = 1_000;

/** A network partition on a Clique devnet: both sides build, the lighter side reorganizes on heal. */
export const partitionHeal: Scenario = {
  name: 'partition-heal',
  description:
    'A generic shape, no single incident: a devnet of seven Clique signers (1 s slots) splits into a side ' +
    'with five signers and two watched nodes and a side with two signers and one watched node, for 61 slots. ' +
    'Both sides keep a block in every slot (out-of-turn signers back up the missing in-turn ones), so no one ' +
    'falls behind in height, but the minority side follows another branch (divergence). When the partition ' +
    'heals, the majority branch has the higher total difficulty and the minority node reorganizes 61 blocks ' +
    'deep (a node-level reorg; the canonical head, held by the majority, does not move). Devnets report no ' +
    'finality here.',
  incident: null,
  chain: 'devnet',
  preset: 'devnet',
  consensus: 'poa',
  genesisHeight: 0n,
  nodes: [
    { name: 'geth-a1', client: 'Geth/v1.13.14', watched: true },
    { name: 'geth-a2', client: 'Geth/v1.13.14', watched: true },
    { name: 'geth-b1', client: 'Geth/v1.13.14', watched: true },
    { name: 'signer-a', client: 'Geth/v1.13.14' },
    { name: 'signer-b', client: 'Geth/v1.13.14' },
  ],
  producers: [
    { name: 's-a1', node: 'geth-a1', weight: 1 },
    { name: 's-a2', node: 'geth-a2', weight: 1 },
    { name: 's-a3', node: 'signer-a', weight: 1 },
    { name: 's-a4', node: 'signer-a', weight: 1 },
    { name: 's-a5', node: 'signer-a', weight: 1 },
    { name: 's-b1', node: 'geth-b1', weight: 1 },
    { name: 's-b2', node: 'signer-b', weight: 1 },
  ],
  durationMs: 150 * SLOT_MS,
  events: [
    {
      atMs: 20 * SLOT_MS,
      action: {
        type: 'partition',
        groups: [
          ['geth-a1', 'geth-a2', 'signer-a'],
          ['geth-b1', 'signer-b'],
        ],
      },
    },
    { atMs: 80 * SLOT_MS + 600, action: { type: 'heal' } },
  ],
  expect: { signals: ['divergence', 'reorg'], nodes: ['geth-b1'], minLevel: 'caution' },
};
