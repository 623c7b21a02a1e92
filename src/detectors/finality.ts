import type { ChainState } from '../core/chainView.ts';
import type { FinalitySignal, Severity } from '../core/signal.ts';
import { clearCondition, raiseCondition } from './conditions.ts';
import { countFinalityBackers, markBacking } from './corroboration.ts';
import { formatDuration } from './liveness.ts';

/**
 * Finality detector: the chain's finalized checkpoint (the quorum's, see toQuorumFinalized) not
 * advancing; uncorroborated when fewer nodes than the quorum asks are held back with it. Quiet until a first finalized checkpoint is seen, and on chains without finality.
 *
 * - Slot chains: `epochsWithoutFinality` = whole epochs since the finalized checkpoint last
 *   advanced, floor(age / (slotMs * slotsPerEpoch)); `warning` at `warningEpochs` (ethereum 3),
 *   `critical` at `criticalEpochs` (ethereum 6).
 * - Any chain: also by age, `warningAgeMs` and `criticalAgeMs`.
 * `headMinusFinalized` is the canonical head height minus the finalized height, when both known.
 * On slot chains the signal is emitted again at each further whole epoch of the stall.
 */
export function detectFinality(chain: ChainState): FinalitySignal | undefined {
  const cfg = chain.params.finality;
  const finalized = chain.finalized;
  if (!cfg.enabled || !finalized) return undefined;
  const ageMs = chain.nowMs - chain.finalizedAdvancedAtMs;
  const model = chain.params.blockTime;
  const epochs =
    model.kind === 'slots' ? Math.floor(ageMs / (model.slotMs * model.slotsPerEpoch)) : undefined;
  let severity: Severity | undefined;
  if (
    (epochs !== undefined && epochs >= cfg.criticalEpochs) ||
    (cfg.criticalAgeMs > 0 && ageMs >= cfg.criticalAgeMs)
  ) {
    severity = 'critical';
  } else if (
    (epochs !== undefined && epochs >= cfg.warningEpochs) ||
    (cfg.warningAgeMs > 0 && ageMs >= cfg.warningAgeMs)
  ) {
    severity = 'warning';
  }
  if (!severity) {
    clearCondition(chain, 'finality');
    return undefined;
  }
  const signal: FinalitySignal = {
    kind: 'finality',
    chain: chain.name,
    severity,
    atMs: chain.nowMs,
    finalityAgeMs: ageMs,
    message: `finalized checkpoint has not advanced for ${epochs !== undefined ? `${epochs} epochs (${formatDuration(ageMs)})` : formatDuration(ageMs)}`,
  };
  if (epochs !== undefined) signal.epochsWithoutFinality = epochs;
  if (finalized.number !== undefined) {
    signal.finalized = { number: finalized.number, hash: finalized.hash };
    if (chain.canonical) signal.headMinusFinalized = Number(chain.canonical.number - finalized.number);
  }
  markBacking(chain, signal, countFinalityBackers(chain));
  // Emitted again each time the stall grows by a whole epoch: every signal carries the count.
  return raiseCondition(
    chain,
    'finality',
    signal,
    (active) => active.kind === 'finality' && (active.epochsWithoutFinality ?? 0) < (epochs ?? 0),
  ) as FinalitySignal | undefined;
}
