import type { Transition } from '../breaker/levels.ts';
import type { AggregateOracleReturnType } from '../risk/oracle/aggregateOracle.ts';
import type { Service } from './createService.ts';

/**
 * Feeds one oracle aggregation to the breakers (docs/risk.md): an `unobservable` price raises the
 * external condition `oracle:<asset>` at the alert's `requestedLevel` on the breakers of the
 * alert's chains; an `ok` price clears it wherever it is raised. Call it after each aggregation:
 * only changes are stored. Returns the transitions it caused.
 *
 * @example
 * const result = aggregateOracle({ asset: 'ETH-USD', quotes, nowMs, chainLevels });
 * applyOracleResult(service, result);
 */
export function applyOracleResult(
  service: Pick<Service, 'setCondition'>,
  result: AggregateOracleReturnType,
  actor = 'oracle',
): Transition[] {
  const key = `oracle:${result.asset}`;
  if (result.status === 'ok')
    return service.setCondition({ key, cause: 'oracle', actor, reason: 'price observable' });
  const { alert } = result;
  return service.setCondition({
    key,
    cause: 'oracle',
    chains: alert.chains,
    level: alert.requestedLevel,
    actor,
    reason: `oracle ${alert.severity}: ${alert.message}`,
  });
}
