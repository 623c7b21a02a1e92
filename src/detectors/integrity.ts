import {
  type Block,
  type ChainState,
  isCorroborated,
  isHealthy,
  isOnCanonicalBranch,
  type NodeView,
  parentOf,
} from '../core/chainView.ts';
import type { Hash } from '../core/observation.ts';
import type { IntegrityCheck, IntegritySignal } from '../core/signal.ts';

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
  check: IntegrityCheck,
  message: string,
  block?: { hash: Hash; number: bigint },
): IntegritySignal {
  node.integrityFailedAtMs = chain.nowMs;
  // The node leaves the quorum now: the next measure must not wait.
  chain.quorumRecheckAtMs = chain.nowMs;
  const signal: IntegritySignal = {
    kind: 'integrity',
    chain: chain.name,
    node: node.name,
    severity: 'critical',
    atMs: chain.nowMs,
    code,
    check,
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

/**
 * A node that follows another chain: its head is off the canonical branch and its branch, walked
 * down through the kept tree, shares no block with the canonical line while it disagrees with it
 * at `params.divergence.criticalBlocks` heights or more. Checked only while the canonical branch
 * holds a backed quorum, so the quorum decides who is foreign. An `integrity` signal
 * (`foreign_chain`): the node is left out of the quorum, never supplies the canonical head or
 * finality, and is not reported as a divergence.
 */
export function detectForeignChain(chain: ChainState, node: NodeView): IntegritySignal | undefined {
  const head = node.head;
  // Backing checked here rather than by isCanonicalBacked: a verified-chainwork head backed by too
  // few nodes holds the quorum there, but one node's word must not make another node foreign.
  if (
    !head ||
    !chain.canonical ||
    !chain.quorum.ok ||
    !isCorroborated(chain, chain.quorum.supportNodes) ||
    (node.foreign === true && !isHealthy(chain, node)) ||
    isOnCanonicalBranch(chain, head)
  ) {
    return undefined;
  }
  let disagreeing = 0;
  for (let cursor: Block | undefined = head; cursor; cursor = parentOf(chain, cursor)) {
    const line = chain.canonicalByHeight.get(cursor.number);
    if (line === cursor.hash) return undefined;
    if (line !== undefined) disagreeing += 1;
  }
  if (disagreeing < chain.params.divergence.criticalBlocks) return undefined;
  return detectIntegrity(
    chain,
    node,
    'foreign_chain',
    'foreign_chain',
    `follows another chain: none of its ${disagreeing} blocks at heights the canonical line holds is on that line`,
    head,
  );
}
