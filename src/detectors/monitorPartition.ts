import { type ChainState, isHealthy, isSeenWidely, toPlace } from '../core/chainView.ts';
import type { MonitorPartitionSignal, Signal } from '../core/signal.ts';
import { toLivenessThresholds } from '../core/toLivenessThresholds.ts';
import { clearCondition, raiseCondition } from './conditions.ts';

/**
 * Monitor partition: on a chain watched from several locations, a location whose every node is
 * unreachable or frozen (no head change for the liveness warning threshold) while the chain's
 * no-progress is not seen widely (fewer than `params.quorum.minLocations` locations, a majority by
 * default) is the guard's own trouble. Raised as `monitor_partition:<location>` (`warning`), one
 * per such location, cleared when it sees progress again or the failure is seen widely (then the
 * chain-level detectors speak). It moves no breaker: an alert for the operator.
 */
export function detectMonitorPartition(chain: ChainState, signals: Signal[]): void {
  const locations = chain.locations;
  if (locations.length < 2) return;
  const { warningMs } = toLivenessThresholds(chain.params);
  const stalled: string[] = [];
  for (const location of locations) {
    let progress = false;
    for (const node of chain.nodes.values()) {
      if (toPlace(node) !== location) continue;
      // A view seen for the first time starts its clock (`headChangedAtMs`) even before its first
      // head (a checkpoint may come first): it is stalled only once that clock passes the threshold.
      if (isHealthy(chain, node) && chain.nowMs - node.headChangedAtMs < warningMs) {
        progress = true;
        break;
      }
    }
    if (!progress) stalled.push(location);
  }
  const partitioned = stalled.length > 0 && !isSeenWidely(chain, stalled.length);
  for (const location of locations) {
    const key = `monitor_partition:${location}`;
    if (!partitioned || !stalled.includes(location)) {
      clearCondition(chain, key);
      continue;
    }
    const signal: MonitorPartitionSignal = {
      kind: 'monitor_partition',
      chain: chain.name,
      severity: 'warning',
      atMs: chain.nowMs,
      location,
      healthyLocations: locations.length - stalled.length,
      locations: locations.length,
      message: `${location === '' ? "the guard's own nodes" : `watchers at ${location}`} see no progress on ${chain.name} (nodes unreachable or frozen) while ${locations.length - stalled.length} of ${locations.length} locations see it advance: the guard's own network, not the chain`,
      monitorPartition: true,
    };
    const raised = raiseCondition(chain, key, signal);
    if (raised) signals.push(raised);
  }
}
