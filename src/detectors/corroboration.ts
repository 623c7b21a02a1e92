import {
  type Block,
  type ChainState,
  compareCheckpoints,
  isAncestorOrSelf,
  isCorroborated,
  isHealthy,
} from '../core/chainView.ts';
import type { Signal } from '../core/signal.ts';

/**
 * Corroboration: what one node alone claims never outweighs the quorum. A claim is backed when
 * the chain has a quorum and at least `params.quorum.minNodes` counted nodes (all of them on a
 * chain watched through fewer) back it; otherwise the signal is marked `uncorroborated` and moves
 * a breaker no higher than the uncorroborated level (`caution` by default). Who backs what:
 * - a chain reorg or a halt: the nodes on the canonical branch (a halt with no counted node at all
 *   is backed: every node has gone silent);
 * - a node's own reorg: that node alone;
 * - a divergence: the nodes on the diverging node's branch;
 * - a finality stall: the nodes whose finalized checkpoint is not ahead of the chain's;
 * - a finalized conflict: the nodes that finalized the same checkpoint as the conflicting node.
 * On a chain chosen by verified chainwork (`params.pow`), a chain reorg to the heavier verified
 * chain is backed by the work itself.
 */
export function markBacking<S extends Signal>(chain: ChainState, signal: S, backers: number): S {
  // A move of the canonical head to a heavier chain of verified proof of work is backed by the work.
  if (chain.quorum.verified && signal.kind === 'reorg' && signal.scope === 'chain') return signal;
  if (!chain.quorum.ok || !isCorroborated(chain, backers)) signal.uncorroborated = true;
  return signal;
}

/**
 * Healthy nodes whose head is on `head`'s branch: `head` itself, an ancestor of it or a descendant.
 * A stale node still backs its branch (a minority branch that grows slowly is still a split).
 */
export function countBranchBackers(chain: ChainState, head: Block): number {
  let backers = 0;
  for (const node of chain.nodes.values()) {
    const other = node.head;
    if (!other || !isHealthy(chain, node)) continue;
    if (
      other.hash === head.hash ||
      isAncestorOrSelf(chain, other, head) === true ||
      isAncestorOrSelf(chain, head, other) === true
    ) {
      backers += 1;
    }
  }
  return backers;
}

/** Healthy nodes that report a finalized checkpoint not ahead of the chain's. */
export function countFinalityBackers(chain: ChainState): number {
  const finalized = chain.finalized;
  if (!finalized) return 0;
  let backers = 0;
  for (const node of chain.nodes.values()) {
    const checkpoint = node.checkpoints.finalized;
    if (checkpoint && isHealthy(chain, node) && compareCheckpoints(checkpoint, finalized) <= 0) backers += 1;
  }
  return backers;
}
