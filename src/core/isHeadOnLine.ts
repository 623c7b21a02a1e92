import type { ChainState, NodeView } from './chainView.ts';

/**
 * Whether the node's head is a block of the canonical line (at or below the canonical head),
 * remembered per node: once found there it stays there while the node keeps that head and no entry
 * of the line is replaced or removed (`chain.lineVersion`), so a head event or a tick asks the line
 * only for the node that moved.
 */
export function isHeadOnLine(chain: ChainState, node: NodeView): boolean {
  const head = node.head;
  if (head === undefined) return false;
  const onLine = node.onLine;
  if (onLine.head === head && onLine.lineVersion === chain.lineVersion) return true;
  // The line always holds the canonical head.
  if (head !== chain.canonical && chain.canonicalByHeight.get(head.number) !== head.hash) return false;
  onLine.head = head;
  onLine.lineVersion = chain.lineVersion;
  return true;
}
