import type { Block, ChainState } from './chainView.ts';
import { parentOf } from './parentOf.ts';

/** The highest common ancestor of two blocks, when the tree holds both branches down to it. */
export function findCommonAncestor(chain: ChainState, a: Block, b: Block): Block | undefined {
  let x: Block | undefined = a;
  let y: Block | undefined = b;
  while (x && y && x.hash !== y.hash) {
    if (x.number > y.number) x = parentOf(chain, x);
    else if (y.number > x.number) y = parentOf(chain, y);
    else {
      x = parentOf(chain, x);
      y = parentOf(chain, y);
    }
  }
  return x && y ? x : undefined;
}
