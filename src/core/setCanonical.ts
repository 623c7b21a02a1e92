import type { Block, ChainState } from './chainView.ts';
import { parentOf } from './parentOf.ts';

/**
 * Moves the canonical head to `head` and rewrites the canonical line index down to the point
 * where it already agrees.
 */
export function setCanonical(chain: ChainState, head: Block): void {
  const previous = chain.canonical;
  if (previous && previous.number > head.number) {
    chain.lineVersion += 1;
    // Heights may be sparse or huge: walk what is stored rather than every height in between.
    if (previous.number - head.number > BigInt(chain.canonicalByHeight.size)) {
      for (const h of [...chain.canonicalByHeight.keys()])
        if (h > head.number) chain.canonicalByHeight.delete(h);
    } else {
      for (let h = head.number + 1n; h <= previous.number; h++) chain.canonicalByHeight.delete(h);
    }
  }
  let cursor: Block | undefined = head;
  let lowest = head;
  while (cursor) {
    // The line always holds the canonical head it had: the walk agrees with it there.
    if (cursor === previous) break;
    const line = chain.canonicalByHeight.get(cursor.number);
    if (line === cursor.hash) break;
    if (line !== undefined) chain.lineVersion += 1;
    chain.canonicalByHeight.set(cursor.number, cursor.hash);
    lowest = cursor;
    cursor = parentOf(chain, cursor);
  }
  if (cursor === undefined) {
    // The line starts at a block whose parent is unknown: entries below it belong to an old line.
    chain.lineVersion += 1;
    for (const h of [...chain.canonicalByHeight.keys()])
      if (h < lowest.number) chain.canonicalByHeight.delete(h);
  }
  chain.canonical = head;
}
