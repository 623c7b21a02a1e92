import type { Hash } from '../../core/observation.ts';

/** Parent hash of a genesis block. */
export const GENESIS_PARENT_HASH: Hash = '0'.repeat(64);

/** A block of the simulated history, shared by every node's tree (a node knows it or not). */
export type SimBlock = {
  hash: Hash;
  parent: SimBlock | undefined;
  /** Height above genesis. */
  height: number;
  number: bigint;
  /** Absolute slot (slot chains), -1 for proof of work. */
  slot: number;
  timestamp: number;
  builderClient: string;
  /** Total difficulty (poa): sum of 2 for in-turn and 1 for out-of-turn blocks. */
  td: number;
};

/** A Casper FFG checkpoint: an epoch and the block at (or last before) its first slot. */
export type SimCheckpoint = { epoch: number; block: SimBlock };

/** An attestation: a head vote (LMD-GHOST) and an FFG target vote for the epoch. */
export type SimVote = { validator: number; slot: number; block: Hash; epoch: number; target: Hash };

/** What nodes gossip to each other. */
export type SimMessage = { type: 'block'; block: SimBlock } | { type: 'votes'; votes: SimVote[] };

/** Whether `ancestor` is `block` or one of its ancestors. */
export function isSimAncestorOrSelf(ancestor: SimBlock, block: SimBlock): boolean {
  let b: SimBlock | undefined = block;
  while (b && b.height > ancestor.height) b = b.parent;
  return b === ancestor;
}

/** The highest block that is `a` or an ancestor of it and `b` or an ancestor of it. */
export function toSimCommonAncestor(a: SimBlock, b: SimBlock): SimBlock {
  let x = a;
  let y = b;
  while (x.height > y.height && x.parent) x = x.parent;
  while (y.height > x.height && y.parent) y = y.parent;
  while (x !== y && x.parent && y.parent) {
    x = x.parent;
    y = y.parent;
  }
  return x;
}
