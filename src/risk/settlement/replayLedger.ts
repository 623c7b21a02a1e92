import type { LedgerStore } from './ledgerStore.ts';
import type { LedgerState } from './ledgerTypes.ts';
import { type CreateLedgerStateParameters, createLedgerState, reduceLedger } from './reduceLedger.ts';

/** Rebuilds the ledger after a restart: every stored fact through {@link reduceLedger}, in order. */
export async function replayLedger(
  store: LedgerStore,
  parameters: CreateLedgerStateParameters = {},
): Promise<LedgerState> {
  const state = createLedgerState(parameters);
  for (const fact of await store.load()) reduceLedger(state, fact);
  return state;
}
