import type { Block, ChainState } from './chainView.ts';
import { isAncestorOrSelf } from './isAncestorOrSelf.ts';
import { isCanonical } from './isCanonical.ts';
import { isCounted } from './isCounted.ts';
import { latestHeadMoveMs } from './latestHeadMoveMs.ts';

/**
 * Chooses the canonical head: among the leaf heads of healthy nodes, the one whose branch
 * (the leaf and its ancestors) holds the most node weight. Ties go to the current canonical
 * line, then to the higher block, then to the lower hash.
 *
 * On a chain with `params.pow` the most verified chainwork comes first (a head without verified
 * chainwork counts as none), then the rules above: proof of work, checked by the sources, outweighs
 * node count, as it does for the nodes themselves.
 */
export function chooseCanonical(chain: ChainState): Block | undefined {
  const heads: Array<{ block: Block; weight: number }> = [];
  const latestMoveMs = latestHeadMoveMs(chain);
  for (const node of chain.nodes.values()) {
    if (!node.head || !isCounted(chain, node, latestMoveMs)) continue;
    const same = heads.find((h) => h.block.hash === node.head!.hash);
    if (same) same.weight += node.weight;
    else heads.push({ block: node.head, weight: node.weight });
  }
  if (heads.length === 0) return chain.canonical;
  if (heads.length === 1) return heads[0]!.block;
  const byWork = chain.params.pow !== undefined;
  let best: Block | undefined;
  let bestScore = -1;
  let bestWork = -1n;
  let bestOnLine = false;
  for (const leaf of heads) {
    let score = 0;
    let isLeaf = true;
    for (const other of heads) {
      if (other === leaf) {
        score += other.weight;
        continue;
      }
      if (other.block.number > leaf.block.number && isAncestorOrSelf(chain, leaf.block, other.block)) {
        isLeaf = false;
        break;
      }
      if (isAncestorOrSelf(chain, other.block, leaf.block)) score += other.weight;
    }
    if (!isLeaf) continue;
    const onLine = chain.canonical
      ? isCanonical(chain, leaf.block) || isAncestorOrSelf(chain, chain.canonical, leaf.block) === true
      : false;
    const work = byWork ? (leaf.block.chainwork ?? -1n) : -1n;
    if (
      best === undefined ||
      work > bestWork ||
      (work === bestWork && score > bestScore) ||
      (work === bestWork &&
        score === bestScore &&
        (onLine !== bestOnLine
          ? onLine
          : leaf.block.number !== best.number
            ? leaf.block.number > best.number
            : leaf.block.hash < best.hash))
    ) {
      best = leaf.block;
      bestScore = score;
      bestWork = work;
      bestOnLine = onLine;
    }
  }
  return best;
}
