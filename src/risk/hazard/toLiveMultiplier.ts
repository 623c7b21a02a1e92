import { LEVELS, type Level } from '../../breaker/levels.ts';
import { SEVERITIES, type Severity, SIGNAL_KINDS, type Signal, type SignalKind } from '../../core/signal.ts';
import { assertPositive, HazardError } from './hazardError.ts';

/** Factor per signal kind and severity. */
export type SignalFactors = Readonly<Record<SignalKind, Readonly<Record<Severity, number>>>>;
/** Factor per breaker level. */
export type LevelFactors = Readonly<Record<Level, number>>;

/**
 * How the signal factor and the level factor combine:
 * - `max`: `max(signalFactor, levelFactor)` (default). The breaker's level is itself driven by
 *   the signals, so multiplying both would count the same evidence twice; the level still matters
 *   on its own because it stays raised through the recovery grace period after signals clear.
 * - `product`: `signalFactor * levelFactor`, for level factors calibrated as a separate effect.
 */
export type MultiplierCombine = 'max' | 'product';

/**
 * Default factor by which an active signal raises the hazard over its historical base rate.
 *
 * | kind       | info | warning | critical | safety |
 * |------------|------|---------|----------|--------|
 * | reorg      | 1    | 2       | 8        | 32     |
 * | liveness   | 1    | 4       | 16       | 32     |
 * | finality   | 1    | 2       | 8        | 32     |
 * | divergence | 1    | 4       | 16       | 32     |
 * | integrity  | 1    | 2       | 8        | 32     |
 * | lag        | 1    | 1       | 1.5      | 2      |
 * | latency    | 1    | 1       | 1.5      | 2      |
 * | quorum     | 1    | 2       | 4        | 8      |
 * | monitor_partition | 1 | 1     | 1        | 1      |
 *
 * Chain-level symptoms (a stall, a split, a deep reorg) are the precursors of the failures the base
 * rate counts and weigh most; one node lagging or slow says little about the chain. `safety`
 * (conflicting finalized blocks) means the failure is under way. A chain without a quorum of its
 * nodes is seen less well, so its hazard is raised like a warning.
 */
export const DEFAULT_SIGNAL_FACTORS: SignalFactors = Object.freeze({
  reorg: Object.freeze({ info: 1, warning: 2, critical: 8, safety: 32 }),
  liveness: Object.freeze({ info: 1, warning: 4, critical: 16, safety: 32 }),
  finality: Object.freeze({ info: 1, warning: 2, critical: 8, safety: 32 }),
  divergence: Object.freeze({ info: 1, warning: 4, critical: 16, safety: 32 }),
  integrity: Object.freeze({ info: 1, warning: 2, critical: 8, safety: 32 }),
  lag: Object.freeze({ info: 1, warning: 1, critical: 1.5, safety: 2 }),
  latency: Object.freeze({ info: 1, warning: 1, critical: 1.5, safety: 2 }),
  quorum: Object.freeze({ info: 1, warning: 2, critical: 4, safety: 8 }),
  monitor_partition: Object.freeze({ info: 1, warning: 1, critical: 1, safety: 1 }),
});

/**
 * Default factor per breaker level: `normal` 1, `caution` 2, `reduce_only` 4, `halt` 8,
 * `settlement_hold` 16 (each level doubles the one below).
 */
export const DEFAULT_LEVEL_FACTORS: LevelFactors = Object.freeze({
  normal: 1,
  caution: 2,
  reduce_only: 4,
  halt: 8,
  settlement_hold: 16,
});

export type ToLiveMultiplierParameters = {
  /** The chain whose hazard is wanted; signals of other chains are ignored. */
  chain: string;
  /** Signals active now (as the engine reports them). Default none. */
  signals?: readonly Signal[];
  /** The chain's breaker level now. Default `normal`. */
  level?: Level;
  /** Overrides of {@link DEFAULT_SIGNAL_FACTORS}, per kind and severity. */
  signalFactors?: { readonly [K in SignalKind]?: { readonly [S in Severity]?: number } };
  /** Overrides of {@link DEFAULT_LEVEL_FACTORS}. */
  levelFactors?: { readonly [L in Level]?: number };
  /** Default `max`. */
  combine?: MultiplierCombine;
};

export type ToLiveMultiplierReturnType = {
  /** The multiplier applied to the base rate (dimensionless). */
  multiplier: number;
  /** Largest factor over the chain's signals; 1 without signals. */
  signalFactor: number;
  levelFactor: number;
  /** The signal that set `signalFactor`, when one did. */
  driver?: { kind: SignalKind; severity: Severity };
  /** Signals of this chain taken into account. */
  signalsUsed: number;
};

function toSignalFactors(overrides: ToLiveMultiplierParameters['signalFactors']): SignalFactors {
  const factors = {} as Record<SignalKind, Record<Severity, number>>;
  for (const kind of SIGNAL_KINDS) {
    const row = { ...DEFAULT_SIGNAL_FACTORS[kind] };
    for (const severity of SEVERITIES) {
      const value = overrides?.[kind]?.[severity];
      if (value !== undefined) {
        assertPositive(value, `signalFactors.${kind}.${severity}`);
        row[severity] = value;
      }
    }
    factors[kind] = row;
  }
  return factors;
}

function toLevelFactors(overrides: ToLiveMultiplierParameters['levelFactors']): LevelFactors {
  const factors = { ...DEFAULT_LEVEL_FACTORS };
  for (const level of LEVELS) {
    const value = overrides?.[level];
    if (value !== undefined) {
      assertPositive(value, `levelFactors.${level}`);
      factors[level] = value;
    }
  }
  return factors;
}

/**
 * The live multiplier of a chain's base hazard rate, from the signals active now and the breaker
 * level:
 *
 *   signalFactor = max(1, max over the chain's signals s of F[s.kind][s.severity])
 *   levelFactor  = L[level]
 *   multiplier   = max(signalFactor, levelFactor)      (combine `max`, default)
 *                = signalFactor * levelFactor           (combine `product`)
 *
 * F and L default to {@link DEFAULT_SIGNAL_FACTORS} and {@link DEFAULT_LEVEL_FACTORS}; every
 * entry can be overridden. The maximum (not a product) over signals keeps one incident reported by
 * several detectors from compounding.
 *
 * @throws {HazardError} `invalid_input` for a factor that is not a positive finite number, or an
 *   unknown level.
 *
 * @example
 * toLiveMultiplier({ chain: 'ethereum', signals, level: 'caution' }).multiplier;
 */
export function toLiveMultiplier(parameters: ToLiveMultiplierParameters): ToLiveMultiplierReturnType {
  const signalFactors = toSignalFactors(parameters.signalFactors);
  const levelFactors = toLevelFactors(parameters.levelFactors);
  const level = parameters.level ?? 'normal';
  const levelFactor = levelFactors[level];
  if (levelFactor === undefined) {
    throw new HazardError(
      'invalid_input',
      `level must be one of ${LEVELS.join(', ')}, got ${String(level)}`,
      {
        field: 'level',
        value: level,
      },
    );
  }

  let signalFactor = 1;
  let driver: ToLiveMultiplierReturnType['driver'];
  let signalsUsed = 0;
  for (const signal of parameters.signals ?? []) {
    if (signal.chain !== parameters.chain) continue;
    const factor = signalFactors[signal.kind]?.[signal.severity];
    if (factor === undefined) {
      throw new HazardError('invalid_input', `signal ${signal.kind}/${signal.severity} has no factor`, {
        field: 'signals',
        value: { kind: signal.kind, severity: signal.severity },
      });
    }
    signalsUsed += 1;
    if (factor > signalFactor) {
      signalFactor = factor;
      driver = { kind: signal.kind, severity: signal.severity };
    }
  }

  const combine = parameters.combine ?? 'max';
  const multiplier = combine === 'product' ? signalFactor * levelFactor : Math.max(signalFactor, levelFactor);
  const result: ToLiveMultiplierReturnType = { multiplier, signalFactor, levelFactor, signalsUsed };
  if (driver) result.driver = driver;
  return result;
}
