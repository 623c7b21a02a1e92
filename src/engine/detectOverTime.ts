import { type ChainState, isCanonicalBacked, measureQuorum } from '../core/chainView.ts';
import type { Signal } from '../core/signal.ts';
import { detectDivergence } from '../detectors/divergence.ts';
import { detectFinality } from '../detectors/finality.ts';
import { detectLag } from '../detectors/lag.ts';
import { detectLiveness } from '../detectors/liveness.ts';
import { detectMonitorPartition } from '../detectors/monitorPartition.ts';
import { detectQuorum } from '../detectors/quorum.ts';
import { pushIf } from './pushIf.ts';

export function detectOverTime(chain: ChainState, signals: Signal[]): void {
  // Nodes fall out of the quorum with time (unreachable, stale): measure it again when one may.
  if (chain.nowMs >= chain.quorumRecheckAtMs) measureQuorum(chain);
  chain.lineBacked ||= isCanonicalBacked(chain);
  pushIf(signals, detectQuorum(chain));
  detectMonitorPartition(chain, signals);
  pushIf(signals, detectLiveness(chain));
  pushIf(signals, detectFinality(chain));
  for (const node of chain.nodes.values()) {
    pushIf(signals, detectLag(chain, node));
    if (node.divergedSinceMs !== undefined) pushIf(signals, detectDivergence(chain, node));
  }
}
