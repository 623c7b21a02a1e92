import type { ChainState, NodeView } from '../core/chainView.ts';
import type { ErrorObservation } from '../core/observation.ts';
import type { IntegrityCheck, Signal } from '../core/signal.ts';
import { detectIntegrity } from '../detectors/integrity.ts';
import { recordFailure } from './recordFailure.ts';

export function onError(chain: ChainState, node: NodeView, obs: ErrorObservation, signals: Signal[]): void {
  recordFailure(chain, node, `${obs.code}: ${obs.message}`);
  const check = SOURCE_CHECKS[obs.code];
  if (check !== undefined) signals.push(detectIntegrity(chain, node, obs.code, check, obs.message));
}

/** Error codes of sources that verified something and found it false, and the check each names. */
const SOURCE_CHECKS: Readonly<Record<string, IntegrityCheck>> = Object.freeze({
  integrity: 'header_hash',
  pow: 'pow',
  state_proof: 'state_proof',
  light_client: 'light_client',
});
