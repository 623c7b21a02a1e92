import { writeSync } from 'node:fs';
import type { LedgerStore } from '../../src/risk/settlement/ledgerStore.ts';
import { crashBatch } from './ledgerFixtures.ts';

/**
 * A child process for the ledger store contract: opens a ledger through an adapter's factory and
 * does one thing, reporting on stdout one JSON object per line (written synchronously, so that a
 * line read by the parent was written after the append it reports).
 *
 * argv[2] is JSON: { module, exportName, parameters, mode }, mode one of
 * - `hold`: open, report { ready: true }, and wait to be killed;
 * - `append-forever`: open and append `crashBatch(i)` for i = 1, 2, ... (after the batches already
 *   stored) until killed, reporting { facts } (the facts stored so far) after each append resolves.
 */
type ChildArgs = { module: string; exportName: string; parameters: unknown; mode: string };

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const report = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);

const factory = (await import(args.module))[args.exportName] as (parameters: unknown) => Promise<LedgerStore>;
let store: LedgerStore;
try {
  store = await factory(args.parameters);
} catch (error) {
  report({ ok: false, code: (error as { code?: string }).code ?? 'unknown', message: String(error) });
  process.exit(0);
}

if (args.mode === 'hold') {
  report({ ready: true });
  setInterval(() => undefined, 60_000);
}
if (args.mode === 'append-forever') {
  let facts = (await store.load()).length;
  for (let i = Math.floor(facts / 2) + 1; ; i += 1) {
    const batch = crashBatch(i);
    await store.append(batch);
    facts += batch.length;
    report({ facts });
  }
}
