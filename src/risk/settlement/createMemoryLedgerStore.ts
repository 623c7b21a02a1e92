import type { LedgerStore } from './ledgerStore.ts';
import type { LedgerFact } from './ledgerTypes.ts';

/** A {@link LedgerStore} in memory (tests, simulations); facts are kept as given. */
export function createMemoryLedgerStore(
  initial: readonly LedgerFact[] = [],
): LedgerStore & { facts: LedgerFact[] } {
  const facts = [...initial];
  return {
    facts,
    async append(more) {
      facts.push(...more);
    },
    async load() {
      return [...facts];
    },
    async close() {},
  };
}
