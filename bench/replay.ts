import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngineState, step } from '../src/engine/step.ts';
import { readObservationLogBatches } from '../src/sources/replay/readObservationLogBatches.ts';
import { toObservationLine } from '../src/sources/replay/toObservationLine.ts';
import { syntheticObservations } from './synthetic.ts';

/**
 * End-to-end replay benchmark: a JSON Lines observation log on disk, read, parsed, validated and
 * stepped through the engine, as `consensus-guard replay` does.
 */
export async function runReplayBench(
  options: { count?: number; log?: (line: string) => void } = {},
): Promise<{ perSecond: number }> {
  const log = options.log ?? console.log;
  const count = options.count ?? Number(process.env.BENCH_REPLAY_COUNT ?? 2_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-'));
  const file = join(dir, 'observations.jsonl');
  try {
    const fd = openSync(file, 'w');
    let chunk: string[] = [];
    for (const o of syntheticObservations(count)) {
      chunk.push(toObservationLine(o));
      if (chunk.length === 10_000) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
    closeSync(fd);
    const mib = statSync(file).size / 2 ** 20;
    let best = 0;
    for (let round = 0; round < 3; round++) {
      const state = createEngineState({ chains: {}, defaultPreset: 'ethereum' });
      let n = 0;
      let malformed = 0;
      const t0 = performance.now();
      for await (const batch of readObservationLogBatches(file, { onError: () => malformed++ })) {
        for (const o of batch) step(state, o);
        n += batch.length;
      }
      const seconds = (performance.now() - t0) / 1000;
      best = Math.max(best, n / seconds);
      log(
        `replay: round ${round + 1}: ${Math.round(n / seconds).toLocaleString('en-US')} observations/s end to end (${n} observations, ${mib.toFixed(0)} MiB, ${malformed} malformed)`,
      );
    }
    return { perSecond: best };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runReplayBench();
