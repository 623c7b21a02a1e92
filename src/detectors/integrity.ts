import type { Block, ChainState, NodeView } from '../core/chainView.ts';
import type { Hash } from '../core/observation.ts';
import type { IntegritySignal } from '../core/signal.ts';

/**
 * Integrity detector: a node served data that cannot be true. Two sources:
 * - the source itself found it (an `error` observation with code `integrity`, e.g. a header whose
 *   recomputed hash does not match), and
 * - the tree found it: a hash already known with another height or parent (`conflicting_header`).
 * Always `critical`; the node is left out of the quorum until it serves a good head again after
 * the lag grace period.
 */
export function detectIntegrity(
  chain: ChainState,
  node: NodeView,
  code: string,
  message: string,
  block?: { hash: Hash; number: bigint },
): IntegritySignal {
  node.integrityFailedAtMs = chain.nowMs;
  const signal: IntegritySignal = {
    kind: 'integrity',
    chain: chain.name,
    node: node.name,
    severity: 'critical',
    atMs: chain.nowMs,
    code,
    message: `node ${node.name}: ${message}`,
  };
  if (node.client !== undefined) signal.client = node.client;
  if (block) {
    signal.hash = block.hash;
    signal.number = block.number;
  }
  return signal;
}

export function describeConflict(known: Block, served: { number: bigint; parentHash: Hash }): string {
  return `served block ${known.hash.slice(0, 10)} as height ${served.number} with parent ${served.parentHash.slice(0, 10)}, but it is height ${known.number} with parent ${known.parentHash.slice(0, 10)}`;
}
