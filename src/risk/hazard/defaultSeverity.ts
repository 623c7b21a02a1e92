import table from '../../../data/incidents/severity.json' with { type: 'json' };
import type { EventClass } from './calibrateSeverity.ts';
import type { ClassMix } from './toClassMix.ts';
import type { SeverityTable } from './toSeverityTable.ts';

/**
 * The shipped severity calibration, data/incidents/severity.json, written by
 * scripts/calibrate-severity.ts from data/incidents/price_reactions.csv (docs/hazard.md,
 * "Severity") and checked against it by test/risk/severity.test.ts. Read-only.
 */
export const DEFAULT_SEVERITY: SeverityTable = deepFreeze(table as SeverityTable);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Recovery of an event class in the shipped calibration. */
export function toClassRecovery(eventClass: EventClass): number {
  return DEFAULT_SEVERITY.severity.classes[eventClass].recovery;
}

/** The class mix of a chain of the shipped incident table, undefined for other chains. */
export function toDefaultClassMix(chain: string): ClassMix | undefined {
  return DEFAULT_SEVERITY.chains[chain];
}
