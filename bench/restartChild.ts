import { writeSync } from 'node:fs';
import { createService } from '../src/runtime/createService.ts';
import { openStore } from '../src/store/openStore.ts';
import type { StoreTarget } from '../src/store/toStoreTarget.ts';
import { BENCH_ENGINE } from './restart.ts';

/**
 * One guard start for the restart benchmark, in a process of its own: opens the store, starts the
 * service (snapshot, then the log after it), reports `{ readyMs, replayedEvents, snapshotSeq }` on
 * stdout (`readyMs` from the process's own start) and exits.
 */
const target = JSON.parse(process.argv[2] ?? '{}') as StoreTarget;
const store = await openStore(target);
const service = createService({
  engine: BENCH_ENGINE,
  sources: [],
  store,
  tickIntervalMs: 0,
  log: () => undefined,
});
await service.start();
const { replayedEvents, snapshotSeq, replayMs } = service.stats();
writeSync(1, `${JSON.stringify({ readyMs: performance.now(), replayMs, replayedEvents, snapshotSeq })}\n`);
await service.stop();
await store.close();
