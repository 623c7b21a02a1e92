import { RiskError } from '../contagion/riskError.ts';
import { type LedgerStore, parseLedgerLine, toLedgerLine } from './ledgerStore.ts';

/**
 * The file operations the adapter needs; `node:fs/promises` has them. Passed in so that this
 * folder stays free of IO imports.
 */
export type LedgerFiles = {
  appendFile(path: string, data: string): Promise<void>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
};

export type CreateJsonLinesLedgerStoreParameters = { path: string; files: LedgerFiles };

/**
 * A {@link LedgerStore} in a JSON-lines file, one fact per line ({@link toLedgerLine}). A missing
 * file is an empty ledger. A last line without its newline (a write cut short by a crash) is
 * ignored; any other unreadable line throws.
 *
 * @example
 * import * as files from 'node:fs/promises';
 * const store = createJsonLinesLedgerStore({ path: 'ledger.jsonl', files });
 */
export function createJsonLinesLedgerStore({
  path,
  files,
}: CreateJsonLinesLedgerStoreParameters): LedgerStore {
  let tail: Promise<void> = Promise.resolve();
  return {
    append(facts) {
      if (facts.length === 0) return tail;
      const text = facts.map((fact) => `${toLedgerLine(fact)}\n`).join('');
      tail = tail.then(() => files.appendFile(path, text));
      return tail;
    },
    async load() {
      await tail;
      let text: string;
      try {
        text = await files.readFile(path, 'utf8');
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return [];
        throw new RiskError('invalid_input', `cannot read ledger ${path}: ${(error as Error).message}`, {
          field: 'path',
          value: path,
        });
      }
      const lines = text.split('\n');
      lines.pop();
      return lines.filter((line) => line.trim() !== '').map((line, i) => parseLedgerLine(line, i + 1));
    },
    async close() {
      await tail;
    },
  };
}
