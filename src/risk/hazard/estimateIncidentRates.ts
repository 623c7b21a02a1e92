import { assertNonNegative, HazardError } from './hazardError.ts';
import { INCIDENT_KINDS, type IncidentKind, type IncidentRecord } from './toIncidentRecords.ts';

/** Milliseconds in one year of 365 days: the Actual/365 fixed convention of the pricing code. */
export const MS_PER_YEAR = 365 * 86_400_000;

/** Time over which a chain's incidents were recorded, in milliseconds since the Unix epoch. */
export type ObservationWindow = {
  /** Start, inclusive. */
  startMs: number;
  /** End, exclusive. Must be after `startMs`. */
  endMs: number;
};

/**
 * Gamma prior on a Poisson rate: density proportional to `rate^(shape-1) * exp(-rateYears * rate)`.
 * `shape` is a pseudo-count of incidents, `rateYears` a pseudo-exposure in years.
 */
export type GammaPrior = { shape: number; rateYears: number };

/**
 * Jeffreys prior for a Poisson rate, Gamma(1/2, 0): no pseudo-exposure and half a pseudo-incident.
 * A kind never seen in `T` years gets `0.5 / T` per year instead of zero.
 */
export const JEFFREYS_PRIOR: GammaPrior = Object.freeze({ shape: 0.5, rateYears: 0 });

/** Networks counted by default: the production network of each chain. */
export const DEFAULT_NETWORKS: readonly string[] = Object.freeze(['mainnet', 'mainnet-beta']);

/** Reorgs shallower than this are the fork choice at work, not a consensus failure. */
export const DEFAULT_MIN_REORG_DEPTH = 2;

export type EstimateIncidentRatesParameters = {
  incidents: readonly IncidentRecord[];
  /** One window per chain to estimate; records of other chains are skipped (`no_window`). */
  windows: Readonly<Record<string, ObservationWindow>>;
  /** Prior of every (chain, kind) rate. Default {@link JEFFREYS_PRIOR}. */
  prior?: GammaPrior;
  /** Networks whose records count. Default {@link DEFAULT_NETWORKS}. */
  networks?: readonly string[];
  /** Reorgs with a known depth below this are skipped. Default {@link DEFAULT_MIN_REORG_DEPTH}. */
  minReorgDepth?: number;
  /** Record ids to leave out. */
  excludeIds?: readonly string[];
};

/** Why a record was not counted. */
export type SkipReason =
  /** Its `network` is not among the counted networks (a testnet). */
  | 'network'
  /** Listed in `excludeIds`. */
  | 'excluded'
  /** No observation window for its chain. */
  | 'no_window'
  /** `start_utc` has no full date (`2021-07/08`) or names a span: an aggregate of many events. */
  | 'undated_or_span'
  /** A reorg whose depth is below `minReorgDepth`. */
  | 'routine_reorg'
  /** Its start lies outside its chain's window. */
  | 'outside_window';

/** The posterior of one (chain, kind) rate. */
export type KindRate = {
  /** Incidents counted: `n`. */
  count: number;
  /** `T`, the window's length in years. */
  exposureYears: number;
  /** Posterior Gamma shape `a = a0 + n`. */
  posteriorShape: number;
  /** Posterior Gamma rate `b = b0 + T`, in years. */
  posteriorRateYears: number;
  /** Posterior mean `a / b`: the estimate, incidents per year. */
  ratePerYear: number;
  /** Posterior standard deviation `sqrt(a) / b`, per year. */
  sdPerYear: number;
  /** Maximum-likelihood estimate `n / T`, per year (zero when nothing happened). */
  mleRatePerYear: number;
};

export type ChainRates = {
  chain: string;
  exposureYears: number;
  byKind: Record<IncidentKind, KindRate>;
  /** Incidents of all kinds. */
  count: number;
  /** Sum of the kinds' posterior means: the rate of any consensus failure, per year. */
  ratePerYear: number;
};

export type CountedIncident = { id: string; chain: string; kind: IncidentKind; atMs: number; events: number };
export type SkippedIncident = { id: string; chain: string; reason: SkipReason };

export type EstimateIncidentRatesReturnType = {
  chains: Record<string, ChainRates>;
  counted: CountedIncident[];
  skipped: SkippedIncident[];
  prior: GammaPrior;
};

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z)?/;
const SPAN_PATTERN = /\sto\s|\.\./;

/**
 * The start of an incident in milliseconds since the Unix epoch, from the leading ISO date (and
 * time, when given as `THH:MM[:SS]Z`) of `start_utc`; `undefined` when the text has no full date or
 * names a span. Text after the date (`(approx ...)`) is ignored; a date alone means 00:00 UTC.
 */
export function toIncidentStartMs(startUtc: string): number | undefined {
  if (SPAN_PATTERN.test(startUtc)) return undefined;
  const match = DATE_PATTERN.exec(startUtc);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
    return undefined;
  }
  return ms;
}

/** Leading integer of a number or a text such as `150+ (user tweet quoted)`. */
function toLeadingInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const match = /^\s*(\d+)/.exec(value);
    return match ? Number(match[1]) : undefined;
  }
  return undefined;
}

/** Reorg depth in blocks from `numbers.depth_blocks` or `numbers.depth`, when stated. */
export function toReorgDepthBlocks(record: IncidentRecord): number | undefined {
  return toLeadingInteger(record.numbers?.depth_blocks) ?? toLeadingInteger(record.numbers?.depth);
}

/** Events a record stands for: `numbers.incidents` when a positive integer, else 1. */
export function toEventCount(record: IncidentRecord): number {
  const stated = record.numbers?.incidents;
  return typeof stated === 'number' && Number.isInteger(stated) && stated > 0 ? stated : 1;
}

function assertWindow(chain: string, window: ObservationWindow): void {
  const field = `windows.${chain}`;
  if (
    !Number.isFinite(window.startMs) ||
    !Number.isFinite(window.endMs) ||
    !(window.endMs > window.startMs)
  ) {
    throw new HazardError(
      'invalid_window',
      `${field} must have finite startMs < endMs, got ${window.startMs}..${window.endMs}`,
      { field, value: window },
    );
  }
}

function toKindRate(count: number, exposureYears: number, prior: GammaPrior): KindRate {
  const posteriorShape = prior.shape + count;
  const posteriorRateYears = prior.rateYears + exposureYears;
  return {
    count,
    exposureYears,
    posteriorShape,
    posteriorRateYears,
    ratePerYear: posteriorShape / posteriorRateYears,
    sdPerYear: Math.sqrt(posteriorShape) / posteriorRateYears,
    mleRatePerYear: count / exposureYears,
  };
}

/**
 * Counts consensus-failure incidents per chain and kind and estimates their yearly rates.
 *
 * Counting rules, applied in this order to each record:
 * 1. its `network` must be among `networks` (default: `mainnet`, `mainnet-beta`);
 * 2. its `id` must not be in `excludeIds`;
 * 3. its chain must have a window;
 * 4. its `start_utc` must begin with a full date and not name a span ({@link toIncidentStartMs});
 * 5. a reorg with a stated depth ({@link toReorgDepthBlocks}) needs `depth >= minReorgDepth`
 *    (a reorg of unstated depth counts);
 * 6. its start must lie in `[startMs, endMs)` of its chain's window.
 * A counted record adds {@link toEventCount} incidents (a record may list several) to its kind.
 * Skipped records are returned with their reason, never dropped silently.
 *
 * Estimator: incidents of kind `k` on a chain follow a Poisson process of rate `lambda_k` per year.
 * With a Gamma(`a0`, `b0`) prior and `n` incidents in `T` years, the posterior is
 * Gamma(`a0 + n`, `b0 + T`) and the estimate is its mean `(a0 + n) / (b0 + T)`. The default prior is
 * Jeffreys' Gamma(1/2, 0), so a kind with no incident gets `0.5 / T`, not zero. The chain's rate is
 * the sum over kinds (independent Poisson processes superpose).
 *
 * @throws {HazardError} `invalid_window` for a window without `startMs < endMs`; `invalid_input`
 *   for a negative or non-finite prior or `minReorgDepth`.
 *
 * @example
 * const { chains } = estimateIncidentRates({ incidents: DEFAULT_INCIDENTS, windows: DEFAULT_OBSERVATION_WINDOWS });
 * chains.solana?.byKind.liveness.ratePerYear; // (0.5 + 7) / 5.8 years ≈ 1.29 per year
 */
export function estimateIncidentRates(
  parameters: EstimateIncidentRatesParameters,
): EstimateIncidentRatesReturnType {
  const prior = parameters.prior ?? JEFFREYS_PRIOR;
  assertNonNegative(prior.shape, 'prior.shape');
  assertNonNegative(prior.rateYears, 'prior.rateYears');
  const minReorgDepth = parameters.minReorgDepth ?? DEFAULT_MIN_REORG_DEPTH;
  assertNonNegative(minReorgDepth, 'minReorgDepth');
  const networks = new Set(parameters.networks ?? DEFAULT_NETWORKS);
  const excluded = new Set(parameters.excludeIds ?? []);

  const windows = new Map(Object.entries(parameters.windows));
  for (const [chain, window] of windows) assertWindow(chain, window);

  const counts = new Map<string, Record<IncidentKind, number>>();
  for (const chain of windows.keys()) {
    counts.set(chain, { reorg: 0, liveness: 0, finality_stall: 0, chain_split: 0 });
  }

  const counted: CountedIncident[] = [];
  const skipped: SkippedIncident[] = [];
  for (const record of parameters.incidents) {
    const skip = (reason: SkipReason) => skipped.push({ id: record.id, chain: record.chain, reason });
    if (!networks.has(record.network)) {
      skip('network');
      continue;
    }
    if (excluded.has(record.id)) {
      skip('excluded');
      continue;
    }
    const window = windows.get(record.chain);
    const chainCounts = counts.get(record.chain);
    if (!window || !chainCounts) {
      skip('no_window');
      continue;
    }
    const atMs = toIncidentStartMs(record.start_utc);
    if (atMs === undefined) {
      skip('undated_or_span');
      continue;
    }
    const depth = record.kind === 'reorg' ? toReorgDepthBlocks(record) : undefined;
    if (depth !== undefined && depth < minReorgDepth) {
      skip('routine_reorg');
      continue;
    }
    if (atMs < window.startMs || atMs >= window.endMs) {
      skip('outside_window');
      continue;
    }
    const events = toEventCount(record);
    chainCounts[record.kind] += events;
    counted.push({ id: record.id, chain: record.chain, kind: record.kind, atMs, events });
  }

  const chains: Record<string, ChainRates> = {};
  for (const [chain, window] of windows) {
    const chainCounts = counts.get(chain)!;
    const exposureYears = (window.endMs - window.startMs) / MS_PER_YEAR;
    const byKind = {} as Record<IncidentKind, KindRate>;
    let count = 0;
    let ratePerYear = 0;
    for (const kind of INCIDENT_KINDS) {
      const rate = toKindRate(chainCounts[kind], exposureYears, prior);
      byKind[kind] = rate;
      count += rate.count;
      ratePerYear += rate.ratePerYear;
    }
    chains[chain] = { chain, exposureYears, byKind, count, ratePerYear };
  }
  return { chains, counted, skipped, prior };
}
