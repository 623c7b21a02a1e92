import type { Checkpoint } from './chainView.ts';

/** Orders checkpoints by height when both have one, else by epoch. */
export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  if (a.number !== undefined && b.number !== undefined)
    return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  return (a.epoch ?? -1) - (b.epoch ?? -1);
}
