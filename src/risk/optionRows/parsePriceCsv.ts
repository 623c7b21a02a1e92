import { CsvError, parse } from 'csv-parse/sync';
import { PricingError } from '../pricing/errors.ts';
import { PRICE_ROW_COLUMNS, type PriceRow, type RowError } from './priceRowTypes.ts';
import { toPriceRow } from './toPriceRow.ts';

const COLUMNS: readonly string[] = [...PRICE_ROW_COLUMNS.required, ...PRICE_ROW_COLUMNS.optional];

type CsvRecord = { record: string[]; info: { lines: number } };

/**
 * Reads a chain of options from CSV text (RFC 4180: a field in double quotes may hold commas,
 * line breaks and doubled quotes): a header row naming the columns (any order; `type`,
 * `exercise`, `model`, `spot`, `strike`, `T`, `r`, `q`, `vol` required; `steps`, `hazard`,
 * `recovery`, `jumpIntensity`, `jumpMeanLog`, `jumpVol` where the model needs them), then one
 * option per record. Blank lines are skipped and cells trimmed. A row that cannot be read becomes
 * `{ error }` naming its line, in place.
 *
 * @throws {PricingError} `invalid_input` when the text is not CSV (an unclosed quote), is empty,
 *   or its header lacks a required column or names an unknown one.
 */
export function parsePriceCsv(text: string): Array<PriceRow | RowError> {
  const records = toCsvRecords(text).filter(({ record }) => !(record.length === 1 && record[0] === ''));
  const first = records.shift();
  if (first === undefined)
    throw new PricingError('invalid_input', 'the CSV file is empty: it needs a header row');
  const header = first.record;
  const unknown = header.filter((name) => !COLUMNS.includes(name));
  if (unknown.length > 0) {
    throw new PricingError(
      'invalid_input',
      `unknown CSV column ${unknown.join(', ')}: the columns are ${COLUMNS.join(', ')}`,
      { column: unknown[0]! },
    );
  }
  const missing = PRICE_ROW_COLUMNS.required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new PricingError('invalid_input', `the CSV header lacks the column ${missing.join(', ')}`, {
      column: missing[0]!,
    });
  }
  return records.map(({ record: cells, info }) => {
    if (cells.length !== header.length) {
      return { error: `line ${info.lines}: ${cells.length} cells, the header has ${header.length}` };
    }
    const named: Record<string, string> = {};
    header.forEach((name, i) => {
      named[name] = cells[i] ?? '';
    });
    try {
      return toPriceRow(named);
    } catch (error) {
      if (error instanceof PricingError) return { error: `line ${info.lines}: ${error.message}` };
      throw error;
    }
  });
}

function toCsvRecords(text: string): CsvRecord[] {
  try {
    // With `info`, each record comes as { record, info } (the declared return type ignores it).
    return parse(text, {
      bom: true,
      trim: true,
      relax_column_count: true,
      relax_quotes: true,
      info: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new PricingError('invalid_input', `the CSV text cannot be read: ${error.message}`, {
      reason: error.code,
      ...(typeof error.lines === 'number' ? { line: error.lines } : {}),
    });
  }
}
