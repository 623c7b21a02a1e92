import type { Scenario } from '../scenario.ts';

const SLOT_MS = 400;
const HALT_AT_MS = 120_000;
const HALT_FOR_MS = 5 * 3_600_000 + 4 * 60_000;

/** Solana mainnet-beta, 6 February 2024: no blocks for five hours. */
export const fullHalt: Scenario = {
  name: 'full-halt',
  description:
    'Solana mainnet-beta, 6 February 2024 (solana-2024-02-06-halt): block production stopped at 09:53 UTC and ' +
    'resumed at 14:57 UTC after validators restarted on 1.17.20 from snapshot slot 246,464,040, about five ' +
    'hours without blocks (Solana halted for hours in 2020, 2021, 2022 and 2024 too). Here every validator of a ' +
    '400 ms-slot chain stops two minutes into the run and all resume 5 h 4 min later; the monitor sees no ' +
    'head at all: a liveness failure, critical after 32 slots, that halts the breaker until blocks return. ' +
    "Solana's finality is not Casper's, so no checkpoints are reported and finality is not judged.",
  incident: 'solana-2024-02-06-halt',
  chain: 'solana',
  preset: 'ethereum',
  params: {
    blockTime: { kind: 'slots', slotMs: SLOT_MS, slotsPerEpoch: 32 },
    finality: { enabled: false },
  },
  consensus: 'pos',
  genesisHeight: 246_460_000n,
  nodes: [
    { name: 'rpc-1', client: 'solana-core/1.17.18', watched: true },
    { name: 'rpc-2', client: 'solana-core/1.17.18', watched: true },
    { name: 'rpc-3', client: 'jito-solana/1.17.18', watched: true },
    { name: 'validators', client: 'solana-core/1.17.18' },
  ],
  producers: [
    { name: 'v-1', node: 'rpc-1', weight: 10 },
    { name: 'v-2', node: 'rpc-2', weight: 10 },
    { name: 'v-3', node: 'rpc-3', weight: 15 },
    { name: 'v-4', node: 'validators', weight: 65 },
  ],
  durationMs: HALT_AT_MS + HALT_FOR_MS + 120_000,
  tickMs: 10_000,
  events: [
    { atMs: HALT_AT_MS, action: { type: 'halt' } },
    { atMs: HALT_AT_MS + HALT_FOR_MS, action: { type: 'resume' } },
  ],
  expect: { signals: ['liveness'], livenessSeverity: 'critical', minLevel: 'halt' },
};
