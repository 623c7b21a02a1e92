import * as files from 'node:fs/promises';
import { createJsonLinesLedgerStore } from '../../src/risk/settlement/createJsonLinesLedgerStore.ts';
import type { LedgerStore } from '../../src/risk/settlement/ledgerStore.ts';

/**
 * The JSON-lines adapter over `node:fs/promises`, opened from JSON parameters (what a child
 * process of the ledger store contract receives).
 */
export async function openJsonLinesLedgerStore({ path }: { path: string }): Promise<LedgerStore> {
  return createJsonLinesLedgerStore({ path, files });
}
