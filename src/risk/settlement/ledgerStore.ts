import { RiskError } from '../contagion/riskError.ts';
import type { LedgerFact } from './ledgerTypes.ts';

/**
 * Where the ledger's facts persist. The ledger is event-sourced: the store keeps the facts in the
 * order they were reduced, and `replayLedger` rebuilds the state from them after a restart.
 * An adapter for the SQL store needs one table `(seq integer primary key, body text)` holding
 * {@link toLedgerLine} output: `append` inserts in one transaction, `load` selects by `seq`.
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

/** Parses a line written by {@link toLedgerLine}. */
export function parseLedgerLine(line: string, lineNumber = 1): LedgerFact {
  try {
    const fact = JSON.parse(line, (_key, value) =>
      value !== null &&
      typeof value === 'object' &&
      typeof value.$bigint === 'string' &&
      Object.keys(value).length === 1
        ? BigInt(value.$bigint)
        : value,
    ) as LedgerFact;
    if (typeof fact !== 'object' || fact === null || typeof fact.type !== 'string')
      throw new Error('no type');
    return fact;
  } catch (error) {
    throw new RiskError(
      'invalid_input',
      `ledger line ${lineNumber} is not a ledger fact: ${(error as Error).message}`,
      {
        field: `line.${lineNumber}`,
      },
    );
  }
}
