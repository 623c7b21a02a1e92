import {
  addBlock as addToTree,
  type Block,
  type ChainState,
  isAncestorOrSelf,
  isCanonicalBacked,
  type NodeView,
} from '../core/chainView.ts';
import type { BlockObservation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import { describeConflict, detectIntegrity } from '../detectors/integrity.ts';
import { detectPropagation, detectRpcLatency } from '../detectors/latency.ts';
import { detectReorg } from '../detectors/reorg.ts';
import { isPlausibleHeight } from './isPlausibleHeight.ts';
import { recordFailure } from './recordFailure.ts';
import { updateCanonical } from './updateCanonical.ts';

/** Returns true when the canonical head changed (a breaker evaluation that counts). */
export function onBlock(
  chain: ChainState,
  node: NodeView,
  obs: BlockObservation,
  signals: Signal[],
): boolean {
  const nowMs = chain.nowMs;
  // A height beyond reach is refused against a backed canonical head; against one node's head it
  // is kept out of the tree (memory stays bounded) and the quorum decides.
  const plausible = isPlausibleHeight(chain, obs.number);
  if (!plausible && isCanonicalBacked(chain)) {
    recordFailure(chain, node, `integrity: implausible height ${obs.number}`);
    signals.push(
      detectIntegrity(
        chain,
        node,
        'implausible_height',
        'implausible_height',
        `served height ${obs.number}, beyond what the chain can have reached from the canonical head ${chain.canonical?.number}`,
        { hash: obs.hash, number: obs.number },
      ),
    );
    return false;
  }
  const candidate: Block = {
    hash: obs.hash,
    parentHash: obs.parentHash,
    number: obs.number,
    timestamp: obs.timestamp,
    firstSeenMs: nowMs,
    firstSeenBy: node.name,
  };
  if (obs.chainwork !== undefined) candidate.chainwork = obs.chainwork;
  const added = addToTree(chain, candidate, plausible);
  if (added.conflict) {
    chain.counts.errors += 1;
    signals.push(
      detectIntegrity(
        chain,
        node,
        'conflicting_header',
        'conflicting_header',
        describeConflict(added.conflict, obs),
        {
          hash: obs.hash,
          number: obs.number,
        },
      ),
    );
    return false;
  }
  node.lastOkMs = nowMs;
  if (node.failingSinceMs !== undefined) {
    // Answering again: the node may count in the quorum at once.
    node.failingSinceMs = undefined;
    chain.quorumRecheckAtMs = chain.nowMs;
  }
  if (obs.latencyMs !== undefined) {
    const latency = detectRpcLatency(chain, node, obs.latencyMs);
    if (latency) signals.push(latency);
  }
  if (obs.type === 'block') {
    chain.counts.blocks += 1;
    return false;
  }
  chain.counts.heads += 1;
  const block = added.block;
  const previous = node.head;
  if (previous && previous.hash === block.hash) return false;
  if (
    node.integrityFailedAtMs !== undefined &&
    nowMs - node.integrityFailedAtMs >= chain.params.lag.graceMs
  ) {
    node.integrityFailedAtMs = undefined;
  }
  if (previous) {
    const extends_ = isAncestorOrSelf(chain, previous, block);
    if (extends_ === false || (extends_ === undefined && block.number <= previous.number)) {
      signals.push(detectReorg(chain, 'node', previous, block, nowMs, node));
    }
  }
  node.head = block;
  node.headChangedAtMs = nowMs;
  const propagation = detectPropagation(chain, node, block);
  if (propagation) signals.push(propagation);
  return updateCanonical(chain, signals, node, previous);
}
