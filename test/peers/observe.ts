import type { Observation } from '../../src/core/observation.ts';
import type { Source } from '../../src/sources/source.ts';

export type Observed = {
  readonly observations: Observation[];
  /** Resolves with the first observation (from index `from`) that matches; rejects after `timeoutMs`. */
  waitFor(
    predicate: (observation: Observation) => boolean,
    options?: { timeoutMs?: number; from?: number },
  ): Promise<Observation>;
  stop(): Promise<void>;
};

/** Starts a source and records everything it emits. */
export async function observe(source: Source): Promise<Observed> {
  const observations: Observation[] = [];
  const waiters = new Set<() => void>();
  await source.start((observation) => {
    observations.push(observation);
    for (const wake of waiters) wake();
  });
  return {
    observations,
    waitFor(predicate, { timeoutMs = 30_000, from = 0 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = observations.slice(from).find(predicate);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching observation in ${timeoutMs} ms; got ${observations.length}: ${describe(observations.slice(-8))}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => source.stop(),
  };
}

export function describe(observations: Observation[]): string {
  return observations
    .map((o) => {
      if (o.type === 'head' || o.type === 'block')
        return `${o.type} ${o.number} ${o.hash.slice(0, 8)}<-${o.parentHash.slice(0, 8)}`;
      if (o.type === 'checkpoint') return `checkpoint ${o.kind} ${o.number}`;
      if (o.type === 'error') return `error ${o.code} ${o.message}`;
      return o.type;
    })
    .join('; ');
}
