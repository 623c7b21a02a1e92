import type { Hash } from '../../core/observation.ts';
import { isSimAncestorOrSelf, type SimBlock } from './simBlock.ts';
import { observeCheckpoint } from './simMonitor.ts';
import type { SimNodeState, SimWorld } from './simWorld.ts';

// Simplified Casper FFG: an epoch is justified when validators holding >= 2/3 of the stake voted
// for the same checkpoint of it; the previous justified epoch is finalized when it is the epoch
// just before and an ancestor of the new one.

/** The checkpoint block of `epoch` on the chain of `head`: the last block at or before the
 * epoch's first slot. */
export function toSimCheckpointBlock(world: SimWorld, head: SimBlock, epoch: number): SimBlock {
  const boundary = epoch * world.slotsPerEpoch;
  let b = head;
  while (b.slot > boundary && b.parent) b = b.parent;
  return b;
}

/** Counts `node`'s target votes for `epoch` once it is over; justifies and finalizes. */
export function processEpoch(world: SimWorld, node: SimNodeState, epoch: number, timeMs: number): void {
  const tally = node.ffg.get(epoch);
  for (const e of node.ffg.keys()) if (e <= epoch) node.ffg.delete(e);
  if (!tally || epoch <= node.justified.epoch) return;
  const stakeByTarget = new Map<Hash, number>();
  for (const [validator, target] of tally) {
    stakeByTarget.set(target, (stakeByTarget.get(target) ?? 0) + world.weights[validator]!);
  }
  for (const [target, stake] of stakeByTarget) {
    if (3 * stake < 2 * world.totalWeight || !node.known.has(target)) continue;
    const previous = node.justified;
    node.justified = { epoch, block: world.blocks.get(target)! };
    observeCheckpoint(world, node, 'justified', node.justified, timeMs);
    const finalizes = previous.epoch === epoch - 1 && previous.block !== node.finalized.block;
    if (finalizes && isSimAncestorOrSelf(previous.block, node.justified.block)) {
      node.finalized = previous;
      observeCheckpoint(world, node, 'finalized', node.finalized, timeMs);
    }
    return;
  }
}
