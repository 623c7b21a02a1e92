import type { EventClass } from './calibrateSeverity.ts';
import type { ChainRates } from './estimateIncidentRates.ts';
import type { IncidentKind } from './toIncidentRecords.ts';

/** The event class of each incident kind of data/incidents/incidents.json. */
export const CLASS_OF_KIND: Readonly<Record<IncidentKind, EventClass>> = Object.freeze({
  reorg: 'reorg',
  liveness: 'liveness',
  finality_stall: 'finality',
  chain_split: 'client_split',
});

/** One class of a chain's failures: how often, and what the token keeps when it happens. */
export type ClassHazard = { eventClass: EventClass; intensityPerYear: number; recovery: number };

/**
 * A chain's failures as a mix of classes. Their expected loss rate is what pricing, margin and
 * cover charge; one failure of the mix loses `1 - recovery` on average.
 */
export type ClassMix = {
  classes: ClassHazard[];
  /** Σ intensity: failures of any class per year. */
  hazardPerYear: number;
  /** Σ intensity × (1 - recovery): the expected fraction of the token's value lost per year. */
  expectedLossPerYear: number;
  /** 1 - expectedLossPerYear / hazardPerYear (1 when the hazard is 0): the mix's recovery. */
  recovery: number;
};

/** Totals of a list of class hazards (see {@link ClassMix}). */
export function toClassMix(classes: readonly ClassHazard[]): ClassMix {
  let hazardPerYear = 0;
  let expectedLossPerYear = 0;
  for (const c of classes) {
    hazardPerYear += c.intensityPerYear;
    expectedLossPerYear += c.intensityPerYear * (1 - c.recovery);
  }
  return {
    classes: [...classes],
    hazardPerYear,
    expectedLossPerYear,
    recovery: hazardPerYear > 0 ? 1 - expectedLossPerYear / hazardPerYear : 1,
  };
}

/** A chain's class mix from its incident rates (per kind) and the recovery of each class. */
export function toChainClassMix(
  rates: ChainRates,
  recoveries: Readonly<Record<EventClass, number>>,
): ClassMix {
  return toClassMix(
    (Object.keys(CLASS_OF_KIND) as IncidentKind[]).map((kind) => ({
      eventClass: CLASS_OF_KIND[kind],
      intensityPerYear: rates.byKind[kind].ratePerYear,
      recovery: recoveries[CLASS_OF_KIND[kind]],
    })),
  );
}
