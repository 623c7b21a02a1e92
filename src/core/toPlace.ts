import type { NodeView } from './chainView.ts';

/** The place a node view is seen from: its watcher location, or `''` for the guard's own. */
export function toPlace(node: NodeView): string {
  return node.location ?? '';
}
