import { HazardError } from './hazardError.ts';

/**
 * Event classes of consensus failure (docs/hazard.md, "Severity"): the `kind` column of
 * data/incidents/price_reactions.csv, plus `safety` (conflicting finalized blocks), which has never
 * happened on a chain with a market price and so has no data.
 */
export const EVENT_CLASSES = [
  'liveness',
  'finality',
  'reorg',
  'client_split',
  'attack_51',
  'bridge_or_sequencer',
  'safety',
] as const;
export type EventClass = (typeof EVENT_CLASSES)[number];

/** One row of price_reactions.csv, as text cells keyed by the header. */
export type PriceReactionRow = Readonly<Record<string, string>>;

export type CalibrateSeverityParameters = {
  rows: readonly PriceReactionRow[];
  /** Date the ages of incidents are measured to, ms since the Unix epoch. */
  asOfMs: number;
  /** Half-life of an incident's weight, years. Default {@link DEFAULT_SEVERITY_HALF_LIFE_YEARS}. */
  halfLifeYears?: number;
  /** Pseudo-events of the pooled prior in each class. Default {@link DEFAULT_SEVERITY_PRIOR_WEIGHT}. */
  priorWeight?: number;
  /** Recovery of a class without data. Default {@link DEFAULT_CLASS_RECOVERY}. */
  defaultRecovery?: number;
};

export type ClassSeverity = {
  eventClass: EventClass;
  /** `data`: estimated from price reactions; `default`: no usable row, {@link DEFAULT_CLASS_RECOVERY}. */
  source: 'data' | 'default';
  /** Rows used. */
  events: number;
  /** Sum of their weights 0.5^(age / half-life). */
  weightedEvents: number;
  /** Posterior mean of the log move relative to the market over 24 h. */
  meanLogMove: number;
  /** Posterior dispersion of one event's log move. */
  sdLogMove: number;
  /** Standard error of `meanLogMove`: sdLogMove / sqrt(priorWeight + weightedEvents). */
  sdOfMean: number;
  /** min(1, exp(mean + sd^2 / 2)): the expected price ratio after an event of this class. */
  recovery: number;
  /** 90% band of `recovery` from the uncertainty of the mean (mean -+ 1.645 sdOfMean). */
  recoveryLow: number;
  recoveryHigh: number;
};

export type SkippedPriceReaction = { incidentId: string; reason: 'no_24h_move' | 'unknown_class' };

export type CalibrateSeverityReturnType = {
  asOf: string;
  halfLifeYears: number;
  priorWeight: number;
  /** The pooled prior: weighted mean and dispersion of every usable row. */
  prior: { meanLogMove: number; sdLogMove: number };
  classes: Record<EventClass, ClassSeverity>;
  skipped: SkippedPriceReaction[];
};

/** Half-life of an incident's weight: a 4-year-old reaction counts half. */
export const DEFAULT_SEVERITY_HALF_LIFE_YEARS = 4;
/** The pooled prior counts as two events of each class. */
export const DEFAULT_SEVERITY_PRIOR_WEIGHT = 2;
/**
 * Recovery of a class with no price reaction: half the value, the stress figure the contagion graph
 * used before calibration. Far below anything observed (the worst relative 24 h move is -12.6%).
 */
export const DEFAULT_CLASS_RECOVERY = 0.5;

const MS_PER_YEAR = 365 * 86_400_000;
const Z90 = 1.6448536269514722;

function toNumberCell(row: PriceReactionRow, column: string): number | undefined {
  const text = row[column]?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new HazardError(
      'invalid_input',
      `price reaction ${row.incident_id}: ${column} "${text}" is not a number`,
      {
        field: column,
        value: text,
      },
    );
  }
  return value;
}

/**
 * Severity per event class from the price reactions of real incidents (docs/hazard.md, "Severity"):
 *
 *   x_i  = ln(1 + move_24h) - ln(1 + btc_move_24h)        move relative to the market (BTC rows: total)
 *   w_i  = 0.5^(age_i / halfLifeYears)                   older incidents count less
 *   prior: m0, s0 = weighted mean and dispersion of all rows, weight n0 = priorWeight
 *   mean_c = (n0 m0 + Σ w x) / (n0 + Σ w),  sd_c^2 = (n0 s0^2 + Σ w (x - mean_c)^2) / (n0 + Σ w)
 *   recovery_c = min(1, exp(mean_c + sd_c^2 / 2))
 *
 * Rows without a 24 h move (Terra, whose halt answered a collapse already under way, and two rows
 * with no price) are skipped with their reason. A class without rows takes `defaultRecovery`.
 *
 * @throws {HazardError} `invalid_input` for a cell that is not a number or a bad start date.
 */
export function calibrateSeverity(parameters: CalibrateSeverityParameters): CalibrateSeverityReturnType {
  const halfLifeYears = parameters.halfLifeYears ?? DEFAULT_SEVERITY_HALF_LIFE_YEARS;
  const priorWeight = parameters.priorWeight ?? DEFAULT_SEVERITY_PRIOR_WEIGHT;
  const defaultRecovery = parameters.defaultRecovery ?? DEFAULT_CLASS_RECOVERY;
  const skipped: SkippedPriceReaction[] = [];
  const used: Array<{ eventClass: EventClass; x: number; w: number }> = [];
  for (const row of parameters.rows) {
    const incidentId = row.incident_id ?? '';
    const eventClass = row.kind as EventClass;
    if (!(EVENT_CLASSES as readonly string[]).includes(eventClass)) {
      skipped.push({ incidentId, reason: 'unknown_class' });
      continue;
    }
    const move = toNumberCell(row, 'move_24h_pct');
    if (move === undefined) {
      skipped.push({ incidentId, reason: 'no_24h_move' });
      continue;
    }
    const market = toNumberCell(row, 'btc_move_24h_pct') ?? 0;
    const startMs = Date.parse((row.start_utc ?? '').replace(/Z$/, ':00Z'));
    if (!Number.isFinite(startMs)) {
      throw new HazardError(
        'invalid_input',
        `price reaction ${incidentId}: bad start_utc "${row.start_utc}"`,
        {
          field: 'start_utc',
          value: row.start_utc,
        },
      );
    }
    const ageYears = Math.max(0, (parameters.asOfMs - startMs) / MS_PER_YEAR);
    used.push({
      eventClass,
      x: Math.log1p(move / 100) - Math.log1p(market / 100),
      w: 0.5 ** (ageYears / halfLifeYears),
    });
  }
  let weightSum = 0;
  let weighted = 0;
  for (const u of used) {
    weightSum += u.w;
    weighted += u.w * u.x;
  }
  const m0 = weightSum > 0 ? weighted / weightSum : 0;
  let spread = 0;
  for (const u of used) spread += u.w * (u.x - m0) ** 2;
  const s0 = weightSum > 0 ? Math.sqrt(spread / weightSum) : 0;

  const classes = {} as Record<EventClass, ClassSeverity>;
  for (const eventClass of EVENT_CLASSES) {
    const rows = used.filter((u) => u.eventClass === eventClass);
    if (rows.length === 0) {
      classes[eventClass] = {
        eventClass,
        source: 'default',
        events: 0,
        weightedEvents: 0,
        meanLogMove: Math.log(defaultRecovery),
        sdLogMove: 0,
        sdOfMean: 0,
        recovery: defaultRecovery,
        recoveryLow: defaultRecovery,
        recoveryHigh: defaultRecovery,
      };
      continue;
    }
    let w = 0;
    let wx = 0;
    for (const u of rows) {
      w += u.w;
      wx += u.w * u.x;
    }
    const mean = (priorWeight * m0 + wx) / (priorWeight + w);
    let ss = priorWeight * s0 * s0;
    for (const u of rows) ss += u.w * (u.x - mean) ** 2;
    const sd = Math.sqrt(ss / (priorWeight + w));
    const sdOfMean = sd / Math.sqrt(priorWeight + w);
    const ratio = (m: number) => Math.min(1, Math.exp(m + 0.5 * sd * sd));
    classes[eventClass] = {
      eventClass,
      source: 'data',
      events: rows.length,
      weightedEvents: w,
      meanLogMove: mean,
      sdLogMove: sd,
      sdOfMean,
      recovery: ratio(mean),
      recoveryLow: ratio(mean - Z90 * sdOfMean),
      recoveryHigh: ratio(mean + Z90 * sdOfMean),
    };
  }
  return {
    asOf: new Date(parameters.asOfMs).toISOString().slice(0, 10),
    halfLifeYears,
    priorWeight,
    prior: { meanLogMove: m0, sdLogMove: s0 },
    classes,
    skipped,
  };
}
