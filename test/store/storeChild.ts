import { writeSync } from 'node:fs';
import type { Transition } from '../../src/breaker/levels.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * A child process for the store contract: opens a store through an adapter's factory and does one
 * thing, reporting on stdout one JSON object per line (written synchronously, so that a line read
 * by the parent was written after the commit it reports).
 *
 * argv[2] is JSON: { module, exportName, parameters, mode }, mode one of
 * - `open-once`: open, report { ok } or { ok: false, code }, close, exit;
 * - `hold`: open, report { ready: true }, and wait to be killed;
 * - `append-forever`: open and append events until killed, reporting { seq } after each commit;
 *   every 5th event carries a transition enqueued for sinks `a` and `b`.
 */
type ChildArgs = { module: string; exportName: string; parameters: unknown; mode: string };

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const report = (value: unknown) => writeSync(1, `${JSON.stringify(value)}\n`);

const factory = (await import(args.module))[args.exportName] as (parameters: unknown) => Promise<Store>;
let store: Store;
try {
  store = await factory(args.parameters);
} catch (error) {
  report({ ok: false, code: (error as { code?: string }).code ?? 'unknown', message: String(error) });
  process.exit(0);
}

if (args.mode === 'open-once') {
  report({ ok: true });
  await store.close();
  process.exit(0);
}
if (args.mode === 'hold') {
  report({ ready: true });
  setInterval(() => undefined, 60_000);
}
if (args.mode === 'append-forever') {
  const startSeq = await store.lastSeq();
  for (let i = startSeq + 1; ; i += 1) {
    const transitions: Transition[] =
      i % 5 === 0
        ? [
            {
              breaker: 'crash',
              from: 'normal',
              to: 'caution',
              atMs: 1_700_000_000_000 + i,
              reason: `event ${i}`,
              causes: [],
              mode: 'auto',
              seq: i,
              idempotencyKey: `crash:${i}:normal>caution`,
            },
          ]
        : [];
    const [seq] = await store.appendEvents({
      entries: [
        {
          event: { type: 'observation', observation: { type: 'tick', observedAtMs: 1_700_000_000_000 + i } },
          signals: [],
          transitions,
        },
      ],
      sinks: ['a', 'b'],
      nowMs: 1_700_000_000_000 + i,
    });
    report({ seq });
  }
}
