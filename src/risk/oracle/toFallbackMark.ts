import { assertInRange } from '../contagion/riskError.ts';

/** How a price is marked when the oracle says `unobservable` (docs/risk.md, "Marks when unobservable"). */
export type FallbackMethod = 'last_good_band' | 'recovery_adjusted';

export type ToFallbackMarkParameters = {
  /** The last price the oracle reported as `ok`. */
  lastGoodPriceUsd: number;
  /** Time since that price, days. */
  ageDays: number;
  method: FallbackMethod;
  /** Volatility per square root of a year, for the band. Default {@link DEFAULT_BAND_VOL}. */
  volAnnual?: number;
  /** Recovery of the asset if its chain's failure has happened (recovery_adjusted). */
  recoveryFraction?: number;
};

export type FallbackMark = {
  method: FallbackMethod;
  priceUsd: number;
  /** last_good_band: the 99% band of a lognormal move over the age, which widens with sqrt(age). */
  lowUsd: number;
  highUsd: number;
};

/** Band volatility when the market gives none: 100% a year, above any major token's realized vol. */
export const DEFAULT_BAND_VOL = 1;
/** Two-sided 99% band: z = 2.5758. */
export const BAND_Z = 2.5758293035489004;

/**
 * The mark of an asset whose oracle says `unobservable`:
 * - `last_good_band`: the last good price, with the band P exp(-+ z vol sqrt(age / 365)) (z for a
 *   two-sided 99%): margin charges the worse end of the band (its mark add-on), so the charge grows
 *   with the time the price has been dark;
 * - `recovery_adjusted`: the last good price times the recovery of the failure behind the outage (the
 *   jump has happened): no band, the mark itself is marked down.
 *
 * @throws {RiskError} `invalid_input` for a price that is not positive, a negative age or a recovery
 *   outside [0, 1].
 */
export function toFallbackMark(parameters: ToFallbackMarkParameters): FallbackMark {
  const { lastGoodPriceUsd: price, ageDays } = parameters;
  assertInRange(price, 'lastGoodPriceUsd', Number.MIN_VALUE, Number.MAX_VALUE);
  assertInRange(ageDays, 'ageDays', 0, 36_500);
  if (parameters.method === 'recovery_adjusted') {
    const recovery = parameters.recoveryFraction ?? 1;
    assertInRange(recovery, 'recoveryFraction', 0, 1);
    const mark = price * recovery;
    return { method: 'recovery_adjusted', priceUsd: mark, lowUsd: mark, highUsd: mark };
  }
  const vol = parameters.volAnnual ?? DEFAULT_BAND_VOL;
  assertInRange(vol, 'volAnnual', 0, 10);
  const width = BAND_Z * vol * Math.sqrt(ageDays / 365);
  return {
    method: 'last_good_band',
    priceUsd: price,
    lowUsd: price * Math.exp(-width),
    highUsd: price * Math.exp(width),
  };
}
