import {
  type CalibrateSeverityReturnType,
  calibrateSeverity,
  type EventClass,
  type PriceReactionRow,
} from './calibrateSeverity.ts';
import {
  DEFAULT_INCIDENTS,
  DEFAULT_INCIDENTS_END_MS,
  DEFAULT_OBSERVATION_WINDOWS,
} from './defaultIncidents.ts';
import { estimateIncidentRates } from './estimateIncidentRates.ts';
import { type ClassMix, toChainClassMix } from './toClassMix.ts';

/** What data/incidents/severity.json holds: class severities and the class mix of each chain. */
export type SeverityTable = {
  severity: CalibrateSeverityReturnType;
  chains: Record<string, ClassMix>;
};

/**
 * The shipped calibration: {@link calibrateSeverity} over the price reactions as of the end of the
 * incident table (2026-01-01), and each default chain's class mix (incident rates per kind of the
 * shipped table, Jeffreys prior, times the class recoveries). scripts/calibrate-severity.ts writes it.
 */
export function toSeverityTable(rows: readonly PriceReactionRow[]): SeverityTable {
  const severity = calibrateSeverity({ rows, asOfMs: DEFAULT_INCIDENTS_END_MS });
  const recoveries = Object.fromEntries(
    Object.values(severity.classes).map((c) => [c.eventClass, c.recovery]),
  ) as Record<EventClass, number>;
  const rates = estimateIncidentRates({ incidents: DEFAULT_INCIDENTS, windows: DEFAULT_OBSERVATION_WINDOWS });
  const chains: Record<string, ClassMix> = {};
  for (const [chain, chainRates] of Object.entries(rates.chains)) {
    chains[chain] = toChainClassMix(chainRates, recoveries);
  }
  return { severity, chains };
}
