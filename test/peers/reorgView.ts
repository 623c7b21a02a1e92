import type { BlockObservation, Hash, Observation } from '../../src/core/observation.ts';

export type ObservedReorg = {
  /** Index of the head observation that revealed the reorg. */
  index: number;
  oldHead: BlockObservation;
  newHead: BlockObservation;
  commonAncestor: { number: bigint; hash: Hash };
  depth: number;
};

/**
 * Reads observations the way a consumer would: keeps the blocks seen so far (heads and blocks) and,
 * at each head, checks whether it descends from the previous head. The first head that does not is
 * a reorg; its common ancestor must be reachable through blocks already emitted, or it is not known.
 */
export function findReorg(observations: readonly Observation[], from = 0): ObservedReorg | undefined {
  const blocks = new Map<Hash, BlockObservation>();
  let previous: BlockObservation | undefined;
  for (const [index, observation] of observations.entries()) {
    if (observation.type !== 'head' && observation.type !== 'block') continue;
    blocks.set(observation.hash, observation);
    if (observation.type !== 'head') continue;
    if (previous && index >= from && !descends(blocks, observation, previous)) {
      const ancestor = commonAncestor(blocks, previous, observation);
      if (!ancestor) throw new Error(`reorg at head ${observation.number} without a known common ancestor`);
      return {
        index,
        oldHead: previous,
        newHead: observation,
        commonAncestor: { number: ancestor.number, hash: ancestor.hash },
        depth: Number(previous.number - ancestor.number),
      };
    }
    previous = observation;
  }
  return undefined;
}

function ancestry(blocks: Map<Hash, BlockObservation>, start: BlockObservation): BlockObservation[] {
  const line: BlockObservation[] = [start];
  let cursor = blocks.get(start.parentHash);
  while (cursor) {
    line.push(cursor);
    cursor = blocks.get(cursor.parentHash);
  }
  return line;
}

function descends(
  blocks: Map<Hash, BlockObservation>,
  head: BlockObservation,
  previous: BlockObservation,
): boolean {
  return ancestry(blocks, head).some((block) => block.hash === previous.hash);
}

function commonAncestor(blocks: Map<Hash, BlockObservation>, a: BlockObservation, b: BlockObservation) {
  const onA = new Set(ancestry(blocks, a).map((block) => block.hash));
  return ancestry(blocks, b).find((block) => onA.has(block.hash));
}
