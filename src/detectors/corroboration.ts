import {
  type Block,
  type ChainState,
  compareCheckpoints,
  isAncestorOrSelf,
  isCorroborated,
  isCounted,
  latestHeadMoveMs,
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
 */
export function markBacking<S extends Signal>(chain: ChainState, signal: S, backers: number): S {
  if (!chain.quorum.ok || !isCorroborated(chain, backers)) signal.uncorroborated = true;
  return signal;
}

/** Counted nodes whose head is on `head`'s branch: `head` itself, an ancestor of it or a descendant. */
export function countBranchBackers(chain: ChainState, head: Block): number {
  const latestMoveMs = latestHeadMoveMs(chain);
  let backers = 0;
  for (const node of chain.nodes.values()) {
    const other = node.head;
    if (!other || !isCounted(chain, node, latestMoveMs)) continue;
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

/** Counted nodes that report a finalized checkpoint not ahead of the chain's. */
export function countFinalityBackers(chain: ChainState): number {
  const finalized = chain.finalized;
  if (!finalized) return 0;
  const latestMoveMs = latestHeadMoveMs(chain);
  let backers = 0;
  for (const node of chain.nodes.values()) {
    const checkpoint = node.checkpoints.finalized;
    if (checkpoint && isCounted(chain, node, latestMoveMs) && compareCheckpoints(checkpoint, finalized) <= 0)
      backers += 1;
  }
  return backers;
}
