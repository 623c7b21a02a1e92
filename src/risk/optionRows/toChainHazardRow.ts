import type { HazardPerYearReturnType } from '../hazard/hazardPerYear.ts';
import type { PriceRow, RowError } from './priceRowTypes.ts';

/**
 * Gives a row a chain's risk (`hazardPerYear` of the chain at its breaker level): a `jtd` row
 * without a hazard takes the chain's hazard curve; every row without a recovery takes the class
 * mix's; with the failure under way (`halt` and above) the spot is marked down to the recovery
 * and priced with no further failure (the post-event state). A row error stays as it is.
 */
export function toChainHazardRow<R extends PriceRow | RowError>(row: R, chain: HazardPerYearReturnType): R {
  if ('error' in row) return row;
  const recovery = row.recovery ?? chain.recoveryFraction;
  if (chain.state === 'post_event') {
    return {
      ...row,
      spot: row.spot * recovery,
      recovery,
      postEvent: true,
      ...(row.model === 'jtd' ? { hazard: 0 } : {}),
    };
  }
  if (row.model !== 'jtd' || row.hazard !== undefined) return { ...row, recovery };
  return {
    ...row,
    hazard: chain.curve.longRunPerYear,
    hazardCurve: { initialPerYear: chain.curve.initialPerYear, halfLifeYears: chain.curve.halfLifeYears },
    recovery,
  };
}
