import type { Hash } from '../../core/observation.ts';
import type { SimBlock, SimVote } from './simBlock.ts';
import { observeHead } from './simMonitor.ts';
import type { SimNodeState, SimWorld } from './simWorld.ts';

// Each node's block tree and fork choice: LMD-GHOST from the justified checkpoint (pos), total
// difficulty (poa), height with the first seen kept on ties (pow).

/** Whether `node` rejects `block`: built on a rejected block, or refused by a client bug. */
function rejects(world: SimWorld, node: SimNodeState, block: SimBlock): boolean {
  const bug = world.bug;
  if (block.parent && node.rejected.has(block.parent.hash)) return true;
  if (!bug || block.number < bug.fromHeight) return false;
  const nodeAffected = node.client === bug.client;
  const builderAffected = block.builderClient === bug.client;
  if (nodeAffected && !builderAffected) return true;
  return bug.mutual && !nodeAffected && builderAffected;
}

/** Imports a block and any orphans waiting on it; returns the blocks imported. */
export function importBlock(world: SimWorld, node: SimNodeState, block: SimBlock): SimBlock[] {
  const imported: SimBlock[] = [];
  const stack = [block];
  while (stack.length > 0) {
    const b = stack.pop()!;
    if (node.known.has(b.hash) || node.rejected.has(b.hash)) continue;
    if (rejects(world, node, b)) {
      node.rejected.add(b.hash);
      const waiting = node.orphans.get(b.hash);
      if (waiting) {
        node.orphans.delete(b.hash);
        for (const w of waiting) node.rejected.add(w.hash);
      }
      continue;
    }
    const parent = b.parent!;
    if (!node.known.has(parent.hash)) {
      const list = node.orphans.get(parent.hash);
      if (list) list.push(b);
      else node.orphans.set(parent.hash, [b]);
      continue;
    }
    node.known.add(b.hash);
    const siblings = node.children.get(parent.hash);
    if (siblings) siblings.push(b);
    else node.children.set(parent.hash, [b]);
    imported.push(b);
    const votes = node.pendingVotes.get(b.hash);
    if (votes) {
      node.pendingVotes.delete(b.hash);
      for (const v of votes) applyLatest(node, v, b);
    }
    const waiting = node.orphans.get(b.hash);
    if (waiting) {
      node.orphans.delete(b.hash);
      for (const w of waiting) stack.push(w);
    }
  }
  return imported;
}

function applyLatest(node: SimNodeState, vote: SimVote, block: SimBlock): void {
  const previous = node.latest.get(vote.validator);
  if (!previous || previous.slot < vote.slot) node.latest.set(vote.validator, { slot: vote.slot, block });
}

/** Counts FFG target votes of epochs after the justified one, and head votes for known blocks;
 * a head vote for a block not yet known waits for it. */
export function applyVotes(world: SimWorld, node: SimNodeState, votes: SimVote[]): void {
  for (const vote of votes) {
    if (vote.epoch > node.justified.epoch) {
      let tally = node.ffg.get(vote.epoch);
      if (!tally) node.ffg.set(vote.epoch, (tally = new Map()));
      tally.set(vote.validator, vote.target);
    }
    if (node.known.has(vote.block)) applyLatest(node, vote, world.blocks.get(vote.block)!);
    else if (!node.rejected.has(vote.block)) {
      const list = node.pendingVotes.get(vote.block);
      if (list) list.push(vote);
      else node.pendingVotes.set(vote.block, [vote]);
    }
  }
}

/** LMD-GHOST from the justified checkpoint over the latest votes the node knows. */
function ghostHead(world: SimWorld, node: SimNodeState): SimBlock {
  const root = node.justified.block;
  const byBlock = new Map<SimBlock, number>();
  for (const [validator, { block }] of node.latest) {
    byBlock.set(block, (byBlock.get(block) ?? 0) + world.weights[validator]!);
  }
  const weight = new Map<Hash, number>();
  for (const [block, w] of byBlock) {
    for (let b: SimBlock | undefined = block; b && b.height > root.height; b = b.parent) {
      weight.set(b.hash, (weight.get(b.hash) ?? 0) + w);
    }
  }
  let head = root;
  for (;;) {
    const kids = node.children.get(head.hash);
    if (!kids || kids.length === 0) return head;
    let best = kids[0]!;
    let bestWeight = weight.get(best.hash) ?? 0;
    for (let i = 1; i < kids.length; i++) {
      const kid = kids[i]!;
      const w = weight.get(kid.hash) ?? 0;
      if (w > bestWeight || (w === bestWeight && kid.hash > best.hash)) {
        best = kid;
        bestWeight = w;
      }
    }
    head = best;
  }
}

/** Chooses `node`'s head after it imported `imported` (or counted votes); a new head is observed
 * by the monitor and passed to the world's `onHeadChange`. */
export function updateHead(world: SimWorld, node: SimNodeState, timeMs: number, imported: SimBlock[]): void {
  let next = node.head;
  if (world.consensus === 'pos') next = ghostHead(world, node);
  else {
    for (const b of imported) {
      if (world.consensus === 'pow' ? b.height > next.height : b.td > next.td) next = b;
    }
  }
  if (next === node.head) return;
  node.head = next;
  observeHead(world, node, next, timeMs);
  world.onHeadChange(node, timeMs);
}
