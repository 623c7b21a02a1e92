import type { Observation } from '../../core/observation.ts';
import type { VerifiedBlock } from './toVerifiedBlock.ts';

/** The `head` or `block` observation of a verified block seen `at` a node; `latencyMs` when polled. */
export function toBlockObservation(
  type: 'head' | 'block',
  block: VerifiedBlock,
  at: { chain: string; node: string; client?: string; observedAtMs: number },
  latencyMs?: number,
): Observation {
  return {
    type,
    ...at,
    number: block.number,
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: block.timestamp,
    ...(latencyMs === undefined ? {} : { latencyMs }),
  };
}
