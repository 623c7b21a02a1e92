import type { Scenario } from '../scenario.ts';
import { finalityNetwork } from './finalityNetwork.ts';

const SLOT_MS = 12_000;
const EPOCH_SLOTS = 32;

/**
 * The part that the May 2023 finality stalls share, from the network on: the
 * {@link finalityNetwork}, proposals missed as `pattern` says (one character a slot) from epoch 3,
 * and `producers` without attestations from epoch 4 to `restoreEpoch`, in a run of
 * `durationEpochs` epochs of 32 slots of 12 s.
 */
export function toFinalityStall(stall: {
  durationEpochs: number;
  pattern: string;
  producers: string[];
  restoreEpoch: number;
}): Pick<Scenario, 'nodes' | 'producers' | 'durationMs' | 'missedSlots' | 'events'> {
  return {
    ...finalityNetwork,
    durationMs: stall.durationEpochs * EPOCH_SLOTS * SLOT_MS,
    missedSlots: { fromSlot: 3 * EPOCH_SLOTS, pattern: stall.pattern },
    events: [
      { atMs: 4 * EPOCH_SLOTS * SLOT_MS, action: { type: 'degrade', producers: stall.producers } },
      {
        atMs: stall.restoreEpoch * EPOCH_SLOTS * SLOT_MS,
        action: { type: 'restore', producers: stall.producers },
      },
    ],
  };
}
