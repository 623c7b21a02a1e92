import { bsmPrice } from '../pricing/bsm.ts';
import { crrPrice } from '../pricing/crr.ts';
import type { OptionInput } from '../pricing/types.ts';
import { DEFAULT_TREE_STEPS, type JumpToDefaultPnl, type PriceRow } from './priceRowTypes.ts';

/**
 * The option's value right after a failure: the underlying at R S (R = the row's recovery, 0 when
 * absent) and no further failure: Black-Scholes-Merton for a European option, the CRR tree for an
 * American one; at R = 0 a call is worthless and a put worth K e^{-rT} (European) or K (American).
 * A row already in the post-event state has nothing left to lose: its P&L is 0.
 *
 * @throws {PricingError} `invalid_input` for inputs that the model refuses.
 */
export function jumpToDefaultPnl(row: PriceRow, price: number): JumpToDefaultPnl {
  const recoveryFraction = row.postEvent ? 1 : (row.recovery ?? 0);
  const option: OptionInput = {
    type: row.type,
    spot: row.spot * recoveryFraction,
    strike: row.strike,
    timeYears: row.T,
    rate: row.r,
    yieldRate: row.q,
    volAnnual: row.vol,
  };
  let valueAfter: number;
  if (recoveryFraction === 0) {
    valueAfter =
      row.type === 'call'
        ? 0
        : row.exercise === 'american'
          ? row.strike
          : row.strike * Math.exp(-row.r * row.T);
  } else if (row.exercise === 'american') {
    valueAfter = crrPrice({ ...option, exercise: 'american', steps: row.steps ?? DEFAULT_TREE_STEPS }).price;
  } else {
    valueAfter = bsmPrice(option);
  }
  return { recoveryFraction, valueAfter, pnl: valueAfter - price };
}
