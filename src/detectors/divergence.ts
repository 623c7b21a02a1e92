import {
  type ChainState,
  type Checkpoint,
  findCommonAncestor,
  isAncestorOrSelf,
  isCanonical,
  type NodeView,
  toBlockRef,
} from '../core/chainView.ts';
import type { DivergenceSignal, Severity } from '../core/signal.ts';
import { clearCondition, raiseCondition } from './conditions.ts';
import { countBranchBackers, markBacking, toBackers } from './corroboration.ts';
import { formatDuration } from './liveness.ts';

/**
 * Divergence detector: a node whose head is neither on the canonical line nor ahead of it
 * follows another branch. It is raised (condition `divergence:<node>`) once either branch is
 * longer than `toleranceBlocks` past the fork and the node has been off the canonical line for
 * `settleMs` (during a reorg the nodes switch one after another), or once it has been off for
 * `toleranceMs`; `critical` once a branch reaches `criticalBlocks`. `forkHeight` is the first
 * height at which the branches differ (common ancestor + 1).
 *
 * Parameters (ChainParams.divergence): ethereum 2 blocks / 36 s / settle 4 s / critical 4; bitcoin
 * 2 blocks / 20 min / settle 60 s / critical 6; devnet 2 blocks / 3 s / settle 0.5 s / critical 4.
 */
export function detectDivergence(chain: ChainState, node: NodeView): DivergenceSignal | undefined {
  const key = node.keys.divergence;
  const head = node.head;
  const canonical = chain.canonical;
  // On the canonical line, ahead of it, behind it (lagging), or too far below the kept tree to
  // tell: not a divergence (lag is the lag detector's business).
  if (
    !head ||
    !canonical ||
    isCanonical(chain, head) ||
    isAncestorOrSelf(chain, canonical, head) !== false ||
    isAncestorOrSelf(chain, head, canonical) !== false
  ) {
    node.divergedSinceMs = undefined;
    clearCondition(chain, key);
    return undefined;
  }
  node.divergedSinceMs ??= chain.nowMs;
  const ancestor = findCommonAncestor(chain, head, canonical);
  const forkNumber = ancestor ? ancestor.number + 1n : minBigint(head.number, canonical.number);
  const nodeBranchLength = Number(head.number - forkNumber + 1n);
  const canonicalBranchLength = Number(canonical.number - forkNumber + 1n);
  const divergedForMs = chain.nowMs - node.divergedSinceMs;
  const cfg = chain.params.divergence;
  const longest = Math.max(nodeBranchLength, canonicalBranchLength);
  const pastBlocks = longest > cfg.toleranceBlocks && divergedForMs >= cfg.settleMs;
  if (!pastBlocks && divergedForMs < cfg.toleranceMs) return undefined;
  const severity: Severity = longest >= cfg.criticalBlocks ? 'critical' : 'warning';
  const signal: DivergenceSignal = {
    kind: 'divergence',
    chain: chain.name,
    node: node.name,
    severity,
    atMs: chain.nowMs,
    forkHeight: Number(forkNumber),
    nodeBranchLength,
    canonicalBranchLength,
    divergedForMs,
    conflictingFinalized: false,
    nodeHead: toBlockRef(head),
    canonicalHead: toBlockRef(canonical),
    message: `node ${node.name}${node.client ? ` (${node.client})` : ''} follows another branch from height ${forkNumber}: ${nodeBranchLength} blocks on its side, ${canonicalBranchLength} on the canonical side, for ${formatDuration(divergedForMs)}`,
  };
  if (ancestor) signal.commonAncestor = toBlockRef(ancestor);
  if (node.client !== undefined) signal.client = node.client;
  markBacking(chain, signal, countBranchBackers(chain, head));
  return raiseCondition(chain, key, signal) as DivergenceSignal | undefined;
}

/**
 * Conflicting finalized checkpoints: `node`'s finalized checkpoint and another node's name
 * different blocks at the same height (or epoch), or blocks on different branches. A safety
 * failure: two histories are both final. Raised as `divergence:finalized:<node>`, never cleared
 * by the engine (an operator has to look).
 */
export function detectFinalizedConflict(chain: ChainState, node: NodeView): DivergenceSignal | undefined {
  const mine = node.checkpoints.finalized;
  if (!mine) return undefined;
  for (const other of chain.nodes.values()) {
    if (other === node) continue;
    const theirs = other.checkpoints.finalized;
    if (!theirs || !conflicts(chain, mine, theirs)) continue;
    // The first height at which the two finalized histories differ: above their common ancestor
    // when the tree holds both, else the lower of the two heights.
    const mineBlock = chain.blocks.get(mine.hash);
    const theirBlock = chain.blocks.get(theirs.hash);
    const ancestor = mineBlock && theirBlock ? findCommonAncestor(chain, mineBlock, theirBlock) : undefined;
    const lower =
      mine.number !== undefined && theirs.number !== undefined
        ? minBigint(mine.number, theirs.number)
        : (mine.number ?? theirs.number);
    const forkHeight = ancestor ? ancestor.number + 1n : lower;
    const signal: DivergenceSignal = {
      kind: 'divergence',
      chain: chain.name,
      node: node.name,
      severity: 'safety',
      atMs: chain.nowMs,
      forkHeight: forkHeight === undefined ? -1 : Number(forkHeight),
      nodeBranchLength: 0,
      canonicalBranchLength: 0,
      divergedForMs: 0,
      conflictingFinalized: true,
      message: `safety failure: node ${node.name} finalized ${describe(mine)} but node ${other.name} finalized ${describe(theirs)}`,
    };
    if (ancestor) signal.commonAncestor = toBlockRef(ancestor);
    if (node.client !== undefined) signal.client = node.client;
    const backers = [...chain.nodes.values()].filter(
      (peer) => peer.checkpoints.finalized?.hash === mine.hash,
    );
    markBacking(chain, signal, toBackers(backers));
    return raiseCondition(chain, node.keys.finalizedConflict, signal) as DivergenceSignal | undefined;
  }
  return undefined;
}

function conflicts(chain: ChainState, a: Checkpoint, b: Checkpoint): boolean {
  if (a.hash === b.hash) return false;
  if (a.number !== undefined && b.number !== undefined) {
    if (a.number === b.number) return true;
    const [low, high] = a.number < b.number ? [a, b] : [b, a];
    const lowBlock = chain.blocks.get(low.hash);
    const highBlock = chain.blocks.get(high.hash);
    return (
      lowBlock !== undefined &&
      highBlock !== undefined &&
      isAncestorOrSelf(chain, lowBlock, highBlock) === false
    );
  }
  return a.epoch !== undefined && a.epoch === b.epoch;
}

function describe(cp: Checkpoint): string {
  const where = cp.number !== undefined ? `block ${cp.number}` : `epoch ${cp.epoch ?? '?'}`;
  return `${where} ${cp.hash.slice(0, 10)}`;
}

function minBigint(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
