import {
  type Block,
  type ChainState,
  compareCheckpoints,
  isAncestorOrSelf,
  isCorroborated,
  isHealthy,
  isSeenWidely,
  type NodeView,
  toPlace,
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
 * chain is backed by the work itself. On a chain watched from several locations, a claim whose
 * backers are seen from fewer locations than `params.quorum.minLocations` (a majority) is the
 * guard's own partition: marked `monitorPartition`, it moves no breaker.
 */
export function markBacking<S extends Signal>(chain: ChainState, signal: S, backers: Backers): S {
  // A move of the canonical head to a heavier chain of verified proof of work is backed by the work.
  if (chain.quorum.verified && signal.kind === 'reorg' && signal.scope === 'chain') return signal;
  if (!chain.quorum.ok || !isCorroborated(chain, backers.nodes)) signal.uncorroborated = true;
  if (!isSeenWidely(chain, backers.locations)) signal.monitorPartition = true;
  return signal;
}

/** Who backs a claim: how many nodes, seen from how many distinct watcher locations. */
export type Backers = { nodes: number; locations: number };

/** Backers from a list of node views. */
export function toBackers(nodes: Iterable<NodeView>): Backers {
  let count = 0;
  const locations: string[] = [];
  for (const node of nodes) {
    count += 1;
    if (!locations.includes(toPlace(node))) locations.push(toPlace(node));
  }
  return { nodes: count, locations: locations.length };
}

/**
 * Healthy nodes whose head is on `head`'s branch: `head` itself, an ancestor of it or a descendant.
 * A stale node still backs its branch (a minority branch that grows slowly is still a split).
 */
export function countBranchBackers(chain: ChainState, head: Block): Backers {
  const backers: NodeView[] = [];
  for (const node of chain.nodes.values()) {
    const other = node.head;
    if (!other || !isHealthy(chain, node)) continue;
    if (
      other.hash === head.hash ||
      isAncestorOrSelf(chain, other, head) === true ||
      isAncestorOrSelf(chain, head, other) === true
    ) {
      backers.push(node);
    }
  }
  return toBackers(backers);
}

/** Healthy nodes that report a finalized checkpoint not ahead of the chain's. */
export function countFinalityBackers(chain: ChainState): Backers {
  const finalized = chain.finalized;
  const backers: NodeView[] = [];
  if (!finalized) return toBackers(backers);
  for (const node of chain.nodes.values()) {
    const checkpoint = node.checkpoints.finalized;
    if (checkpoint && isHealthy(chain, node) && compareCheckpoints(checkpoint, finalized) <= 0)
      backers.push(node);
  }
  return toBackers(backers);
}
