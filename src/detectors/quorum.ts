import { type ChainState, isSeenWidely } from '../core/chainView.ts';
import type { QuorumSignal } from '../core/signal.ts';
import { clearCondition, raiseCondition } from './conditions.ts';

/**
 * Quorum detector: no branch holds strictly more than `params.quorum.fraction` of the counted
 * nodes' weight (see measureQuorum), so the chain follows no single node's word. Raised once that
 * has lasted `params.quorum.toleranceMs` (ethereum 36 s, bitcoin 20 min, devnet 3 s) as the
 * condition `quorum` (`warning`, which asks for `caution` by default), cleared when a branch
 * holds the quorum again. While it lasts every claim about the chain is uncorroborated.
 */
export function detectQuorum(chain: ChainState): QuorumSignal | undefined {
  const quorum = chain.quorum;
  if (quorum.ok) {
    clearCondition(chain, 'quorum');
    return undefined;
  }
  if (chain.nowMs - (chain.noQuorumSinceMs ?? chain.nowMs) < chain.params.quorum.toleranceMs)
    return undefined;
  const fraction = chain.params.quorum.fraction;
  const signal: QuorumSignal = {
    kind: 'quorum',
    chain: chain.name,
    severity: 'warning',
    atMs: chain.nowMs,
    supportWeight: quorum.supportWeight,
    healthyWeight: quorum.healthyWeight,
    fraction,
    message: `no quorum: the best-supported branch holds weight ${quorum.supportWeight} of ${quorum.healthyWeight} (${quorum.supportNodes} of ${quorum.healthyNodes} healthy nodes); more than ${Math.round(fraction * 100)}% is needed`,
    uncorroborated: true,
  };
  // Split along watcher locations (a side seen from too few of them): the guard's own partition.
  if (!isSeenWidely(chain, quorum.supportLocations) || !isSeenWidely(chain, quorum.opposeLocations))
    signal.monitorPartition = true;
  return raiseCondition(chain, 'quorum', signal) as QuorumSignal | undefined;
}
