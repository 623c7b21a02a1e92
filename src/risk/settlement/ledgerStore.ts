import { RiskError } from '../contagion/riskError.ts';
import type { LedgerFact } from './ledgerTypes.ts';

/**
 * Where the ledger's facts persist. The ledger is event-sourced: the store keeps the facts in the
 * order they were reduced, and `replayLedger` rebuilds the state from them after a restart.
 * Adapters: `createMemoryLedgerStore`, `createJsonLinesLedgerStore` and, for SQLite,
 * `openSqliteLedgerStore` (src/store/sqlite: one row `(seq, body)` of {@link toLedgerLine} output
 * per fact).
 */
export type LedgerStore = {
  /** Appends facts durably, in order; resolves once they are written. */
  append(facts: readonly LedgerFact[]): Promise<void>;
  /** Every fact appended so far, in order. */
  load(): Promise<LedgerFact[]>;
  close(): Promise<void>;
};

/** One fact as one line of JSON; bigints as `{"$bigint":"123"}`. */
export function toLedgerLine(fact: LedgerFact): string {
  return JSON.stringify(fact, (_key, value) =>
    typeof value === 'bigint' ? { $bigint: value.toString() } : value,
  );
}

/**
 * Parses a line written by {@link toLedgerLine}; a bad line is an `invalid_input` {@link RiskError}
 * naming it by `unit` and `position` (`line.3` in a file, `seq.3` in a table).
 */
export function parseLedgerLine(line: string, position = 1, unit: 'line' | 'seq' = 'line'): LedgerFact {
  const fail = (reason: string, cause?: unknown): never => {
    throw new RiskError(
      'invalid_input',
      `ledger ${unit} ${position} is not a ledger fact: ${reason}`,
      { field: `${unit}.${position}` },
      { cause },
    );
  };
  let fact: LedgerFact;
  try {
    fact = JSON.parse(line, (_key, value) =>
      value !== null &&
      typeof value === 'object' &&
      typeof value.$bigint === 'string' &&
      Object.keys(value).length === 1
        ? BigInt(value.$bigint)
        : value,
    ) as LedgerFact;
  } catch (error) {
    return fail((error as Error).message, error);
  }
  if (typeof fact !== 'object' || fact === null || typeof fact.type !== 'string') return fail('no type');
  return fact;
}
