import { createEngineState, step } from '../src/engine/step.ts';
import { syntheticObservations } from './synthetic.ts';

/**
 * Core benchmark: observations per second through `step` (in process, observations prebuilt),
 * and heap use over a long stream (observations generated on the fly) to show that the pruned
 * state keeps memory flat.
 */
export type CoreBenchOptions = {
  throughputCount?: number;
  memoryCount?: number;
  log?: (line: string) => void;
};

export function runCoreBench(options: CoreBenchOptions = {}): { stepPerSecond: number; heapMiB: number[] } {
  const log = options.log ?? console.log;
  const throughputCount = options.throughputCount ?? 2_000_000;
  const memoryCount = options.memoryCount ?? 10_000_000;
  const config = { chains: { bench: { preset: 'ethereum' } } };

  const observations = [...syntheticObservations(throughputCount)];
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const state = createEngineState(config);
    const t0 = performance.now();
    let signals = 0;
    for (const o of observations) signals += step(state, o).signals.length;
    const perSecond = observations.length / ((performance.now() - t0) / 1000);
    best = Math.max(best, perSecond);
    log(
      `step: round ${round + 1}: ${fmt(perSecond)} observations/s (${observations.length} observations, ${signals} signals)`,
    );
  }
  observations.length = 0;

  const gc = (globalThis as { gc?: () => void }).gc;
  const heapMiB: number[] = [];
  const state = createEngineState(config);
  let n = 0;
  const t0 = performance.now();
  for (const o of syntheticObservations(memoryCount)) {
    step(state, o);
    n++;
    if (n % (memoryCount / 5) === 0) {
      gc?.();
      const mib = process.memoryUsage().heapUsed / 2 ** 20;
      heapMiB.push(mib);
      const chain = state.chains.get('bench');
      log(
        `memory: after ${fmt(n)} observations: heap ${mib.toFixed(1)} MiB, ${chain?.blocks.size ?? 0} blocks stored${gc ? '' : ' (run with --expose-gc for exact figures)'}`,
      );
    }
  }
  const streamed = n / ((performance.now() - t0) / 1000);
  log(
    `memory: ${fmt(streamed)} observations/s including generation, heap first ${heapMiB[0]?.toFixed(1)} MiB, last ${heapMiB.at(-1)?.toFixed(1)} MiB`,
  );
  return { stepPerSecond: best, heapMiB };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

if (import.meta.url === `file://${process.argv[1]}`) runCoreBench();
