import {
  type Block,
  branchAbove,
  type ChainState,
  findCommonAncestor,
  type NodeView,
  toBlockRef,
} from '../core/chainView.ts';
import type { ReorgSignal, Severity } from '../core/signal.ts';
import { type Backers, markBacking } from './corroboration.ts';

/**
 * Reorg detector. A head that does not descend from the previous head is a reorganization:
 * `depth` = old head height - common ancestor height, `replaced` = the old branch above the
 * ancestor. Per node (its own head moved) and per chain (the canonical head moved).
 *
 * Parameters (ChainParams.reorg): `warningDepth` (default 2) and `criticalDepth` (ethereum and
 * devnet 5, bitcoin 6): shallower reorgs are `info`. A reorg that replaces a block at or below the
 * chain's finalized checkpoint is a `safety` failure whatever its depth.
 *
 * Backing (see corroboration.ts): a node's own reorg is that node's word; a chain reorg is backed
 * by the nodes on the new canonical branch, and only when the old line had stood on a backed
 * quorum.
 *
 * When the tree lacks the parents down to the fork (a source that does not walk back), the
 * ancestor is taken as the new head's parent and the depth is a lower bound
 * (`ancestorKnown: false`).
 */
export function detectReorg(
  chain: ChainState,
  scope: 'node' | 'chain',
  oldHead: Block,
  newHead: Block,
  atMs: number,
  node?: NodeView,
  backers?: Backers,
): ReorgSignal {
  const ancestor = findCommonAncestor(chain, oldHead, newHead);
  const ancestorRef = ancestor
    ? toBlockRef(ancestor)
    : { number: newHead.number - 1n, hash: newHead.parentHash };
  const depth = Number(oldHead.number - ancestorRef.number);
  const finalizedNumber = chain.finalized?.number;
  const finalizedReverted = finalizedNumber !== undefined && ancestorRef.number < finalizedNumber;
  const severity = toReorgSeverity(chain, depth, finalizedReverted);
  const where = scope === 'chain' ? 'canonical chain' : `node ${node?.name ?? '?'}`;
  const signal: ReorgSignal = {
    kind: 'reorg',
    chain: chain.name,
    severity,
    atMs,
    scope,
    depth,
    commonAncestor: ancestorRef,
    oldHead: toBlockRef(oldHead),
    newHead: toBlockRef(newHead),
    replaced: branchAbove(chain, oldHead, ancestorRef.number),
    finalizedReverted,
    message: `${where} reorganized ${depth} block${depth === 1 ? '' : 's'} deep from ${oldHead.number} to ${newHead.number}, common ancestor ${ancestorRef.number}${finalizedReverted ? ' (finalized block replaced)' : ''}`,
  };
  if (!ancestor) signal.ancestorKnown = false;
  if (node) {
    signal.node = node.name;
    if (node.client !== undefined) signal.client = node.client;
  }
  // A node's own reorg is its word alone; the canonical chain's is backed by the nodes on the new
  // canonical branch (the quorum is measured after the move), unless the caller says otherwise
  // (the old line never stood on a backed quorum: 0).
  return markBacking(
    chain,
    signal,
    backers ??
      (scope === 'node'
        ? { nodes: 1, locations: 1 }
        : { nodes: chain.quorum.supportNodes, locations: chain.quorum.supportLocations }),
  );
}

function toReorgSeverity(chain: ChainState, depth: number, finalizedReverted: boolean): Severity {
  if (finalizedReverted) return 'safety';
  const { warningDepth, criticalDepth } = chain.params.reorg;
  if (depth >= criticalDepth) return 'critical';
  if (depth >= warningDepth) return 'warning';
  return 'info';
}
