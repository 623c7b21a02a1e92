import {
  type ChainState,
  type Checkpoint,
  compareCheckpoints,
  type NodeView,
  toQuorumFinalized,
} from '../core/chainView.ts';
import type { CheckpointObservation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import { detectFinalizedConflict } from '../detectors/divergence.ts';
import { pushIf } from './pushIf.ts';

export function onCheckpoint(
  chain: ChainState,
  node: NodeView,
  obs: CheckpointObservation,
  signals: Signal[],
): void {
  chain.counts.checkpoints += 1;
  node.lastOkMs = chain.nowMs;
  if (node.failingSinceMs !== undefined) {
    // Answering again: the node may count in the quorum at once.
    node.failingSinceMs = undefined;
    chain.quorumRecheckAtMs = chain.nowMs;
  }
  const checkpoint: Checkpoint = { kind: obs.kind, hash: obs.hash, observedAtMs: chain.nowMs };
  if (obs.number !== undefined) checkpoint.number = obs.number;
  if (obs.epoch !== undefined) checkpoint.epoch = obs.epoch;
  const previous = node.checkpoints[obs.kind];
  node.checkpoints[obs.kind] = checkpoint;
  if (obs.kind !== 'finalized') return;
  if (!previous || previous.hash !== checkpoint.hash) pushIf(signals, detectFinalizedConflict(chain, node));
  advanceFinalized(chain);
}

/** Moves the chain's finalized checkpoint up to the quorum's; it never moves back. */
function advanceFinalized(chain: ChainState): void {
  const current = chain.finalized;
  const quorum = toQuorumFinalized(chain);
  if (!quorum || (current && compareCheckpoints(quorum, current) <= 0)) return;
  if (current) chain.finalizedAdvancedAtMs = chain.nowMs;
  chain.finalized = quorum;
}
