import { bsmGreeks } from '../pricing/bsm.ts';
import { crrPrice } from '../pricing/crr.ts';
import { PricingError } from '../pricing/errors.ts';
import { jumpToDefaultGreeks, jumpToDefaultTree } from '../pricing/jumpToDefault.ts';
import { mertonGreeks } from '../pricing/merton.ts';
import type { OptionInput } from '../pricing/types.ts';
import { jumpToDefaultPnl } from './jumpToDefaultPnl.ts';
import { DEFAULT_TREE_STEPS, type PriceResult, type PriceRow } from './priceRowTypes.ts';

/**
 * Prices one row with its model, with its jump-to-default P&L. `bsm` and `merton` price European
 * options only; `crr` and an American `jtd` use a tree of `steps` steps (default 1000).
 *
 * @throws {PricingError} `invalid_input` for inputs that the model refuses, or a parameter that
 *   the model needs and the row lacks.
 */
export function priceRow(row: PriceRow): PriceResult {
  const greeks = priceModel(row);
  return { ...greeks, jumpToDefault: jumpToDefaultPnl(row, greeks.price) };
}

function need(row: PriceRow, key: 'hazard' | 'jumpIntensity' | 'jumpMeanLog' | 'jumpVol'): number {
  const value = row[key];
  if (value === undefined) throw new PricingError('invalid_input', `model ${row.model} needs ${key}`);
  return value;
}

function priceModel(row: PriceRow): Omit<PriceResult, 'jumpToDefault'> {
  const option: OptionInput = {
    type: row.type,
    spot: row.spot,
    strike: row.strike,
    timeYears: row.T,
    rate: row.r,
    yieldRate: row.q,
    volAnnual: row.vol,
  };
  const steps = row.steps ?? DEFAULT_TREE_STEPS;
  const american = row.exercise === 'american';
  if (american && (row.model === 'bsm' || row.model === 'merton')) {
    throw new PricingError(
      'invalid_input',
      `model ${row.model} prices European options only: use crr or jtd`,
    );
  }
  switch (row.model) {
    case 'bsm':
      return bsmGreeks(option);
    case 'crr':
      return crrPrice({ ...option, exercise: row.exercise, steps });
    case 'merton':
      return mertonGreeks({
        ...option,
        jumpIntensity: need(row, 'jumpIntensity'),
        jumpMeanLog: need(row, 'jumpMeanLog'),
        jumpVol: need(row, 'jumpVol'),
      });
    case 'jtd': {
      const jtd = {
        ...option,
        hazardPerYear: need(row, 'hazard'),
        recoveryFraction: row.recovery ?? 0,
        ...(row.hazardCurve ? { hazardCurve: row.hazardCurve } : {}),
      };
      return american ? jumpToDefaultTree({ ...jtd, exercise: 'american', steps }) : jumpToDefaultGreeks(jtd);
    }
  }
}
