import type { Block, ChainState } from './chainView.ts';
import { isCanonical } from './isCanonical.ts';
import { parentOf } from './parentOf.ts';

/** True when `ancestor` is `block` or one of its ancestors; `undefined` when unknown. */
export function isAncestorOrSelf(chain: ChainState, ancestor: Block, block: Block): boolean | undefined {
  if (ancestor.number > block.number) return false;
  if (ancestor.hash === block.hash) return true;
  // A child: true whatever the line says (asked first, it spares the line two lookups).
  if (block.parentHash === ancestor.hash) return true;
  if (isCanonical(chain, ancestor) && isCanonical(chain, block)) return true;
  // The parent is at a height below `block`, so at or below `ancestor`, and it is not `ancestor`.
  if (block.number === ancestor.number + 1n) return false;
  const at = ancestorAt(chain, block, ancestor.number);
  return at === undefined ? undefined : at.hash === ancestor.hash;
}

/**
 * Walks back from `block` to the first ancestor at or below `height` (heights may skip, as slots
 * do). Returns `undefined` when a parent is missing from the tree.
 */
function ancestorAt(chain: ChainState, block: Block, height: bigint): Block | undefined {
  let cursor: Block | undefined = block;
  // Once the line has been asked for `height` in vain, it answers the same for every later block
  // of the walk (the walk changes nothing): the rest of the walk follows parents only.
  let lineAsked = false;
  while (cursor && cursor.number > height) {
    if (!lineAsked && isCanonical(chain, cursor)) {
      const hash = chain.canonicalByHeight.get(height);
      const atHeight = hash === undefined ? undefined : chain.blocks.get(hash);
      if (atHeight) return atHeight;
      lineAsked = true;
    }
    cursor = parentOf(chain, cursor);
  }
  return cursor;
}
