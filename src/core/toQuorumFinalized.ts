import type { ChainState, Checkpoint } from './chainView.ts';
import { compareCheckpoints } from './compareCheckpoints.ts';
import { isCounted } from './isCounted.ts';
import { latestHeadMoveMs } from './latestHeadMoveMs.ts';

/**
 * The quorum's finalized checkpoint: the highest checkpoint that counted nodes holding strictly
 * more than the quorum fraction of all counted nodes' weight have reached (by height, else by
 * epoch). One node alone, with others counted, cannot move it.
 */
export function toQuorumFinalized(chain: ChainState): Checkpoint | undefined {
  const latestMoveMs = latestHeadMoveMs(chain);
  const reports: Array<{ checkpoint: Checkpoint; weight: number }> = [];
  let total = 0;
  for (const node of chain.nodes.values()) {
    if (!isCounted(chain, node, latestMoveMs)) continue;
    total += node.weight;
    const checkpoint = node.checkpoints.finalized;
    if (checkpoint) reports.push({ checkpoint, weight: node.weight });
  }
  reports.sort((a, b) => compareCheckpoints(b.checkpoint, a.checkpoint));
  let reached = 0;
  for (const report of reports) {
    reached += report.weight;
    if (reached > chain.params.quorum.fraction * total) return report.checkpoint;
  }
  return undefined;
}
