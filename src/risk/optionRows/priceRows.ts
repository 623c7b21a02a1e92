import { PricingError } from '../pricing/errors.ts';
import { priceRow } from './priceRow.ts';
import type { PriceResult, PriceRow, RowError } from './priceRowTypes.ts';
import { toColumnTerms } from './toColumnTerms.ts';

/**
 * Prices every row in order; a row that fails (or could not be read) becomes `{ error }`, its
 * message in the row's column names.
 */
export function priceRows(rows: ReadonlyArray<PriceRow | RowError>): Array<PriceResult | RowError> {
  return rows.map((row) => {
    if ('error' in row) return row;
    try {
      return priceRow(row);
    } catch (error) {
      if (error instanceof PricingError) return { error: toColumnTerms(error.message) };
      throw error;
    }
  });
}
