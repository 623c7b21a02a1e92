import { spawnSync } from 'node:child_process';

/**
 * Wall-clock milliseconds of one run of `node ...args` to its exit, stdout and stderr discarded.
 *
 * @throws Error when the process exits with a code other than 0.
 */
export function timeProcess(args: readonly string[]): number {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

/** The median of `values` (the upper one of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}
