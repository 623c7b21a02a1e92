import type { Block, ChainState } from './chainView.ts';
import type { Hash } from './observation.ts';
import { parentOf } from './parentOf.ts';

/** Hashes from just above `ancestor` up to `head` along `head`'s branch, lowest first. */
export function branchAbove(chain: ChainState, head: Block, ancestorNumber: bigint): Hash[] {
  const hashes: Hash[] = [];
  let cursor: Block | undefined = head;
  while (cursor && cursor.number > ancestorNumber) {
    hashes.push(cursor.hash);
    cursor = parentOf(chain, cursor);
  }
  return hashes.reverse();
}
