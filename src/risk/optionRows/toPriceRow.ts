import { PricingError } from '../pricing/errors.ts';
import { PRICE_ROW_COLUMNS, type PriceModel, type PriceRow } from './priceRowTypes.ts';

const MODELS: readonly string[] = ['bsm', 'crr', 'merton', 'jtd'] satisfies PriceModel[];

function fail(column: string, message: string): never {
  throw new PricingError('invalid_input', message, { column });
}

function toNumber(column: string, text: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) fail(column, `${column} must be a number, got "${text}"`);
  return value;
}

/**
 * Builds a row from named text cells (CSV cells or command-line flags); empty cells are absent.
 * Messages start with the column's name, so that a caller can name it its own way.
 *
 * @throws {PricingError} `invalid_input` naming the first bad cell (`details.column`).
 */
export function toPriceRow(cells: Readonly<Record<string, string | undefined>>): PriceRow {
  const text = (key: string): string | undefined => {
    const value = cells[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const required = (key: string): string => text(key) ?? fail(key, `${key} is missing`);
  const type = required('type').toLowerCase();
  if (type !== 'call' && type !== 'put') fail('type', `type must be call or put, got "${type}"`);
  const exercise = required('exercise').toLowerCase();
  if (exercise !== 'european' && exercise !== 'american') {
    fail('exercise', `exercise must be european or american, got "${exercise}"`);
  }
  const model = required('model').toLowerCase();
  if (!MODELS.includes(model)) fail('model', `model must be one of ${MODELS.join(', ')}, got "${model}"`);
  const row: PriceRow = {
    type,
    exercise,
    model: model as PriceModel,
    spot: toNumber('spot', required('spot')),
    strike: toNumber('strike', required('strike')),
    T: toNumber('T', required('T')),
    r: toNumber('r', required('r')),
    q: toNumber('q', required('q')),
    vol: toNumber('vol', required('vol')),
  };
  for (const key of PRICE_ROW_COLUMNS.optional) {
    const value = text(key);
    if (value !== undefined) row[key] = toNumber(key, value);
  }
  return row;
}
