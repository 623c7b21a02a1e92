import type { Observation } from '../src/core/observation.ts';

/**
 * An endless, deterministic stream of observations of one chain watched by `nodes` nodes in
 * step: every block is a head at each node, every 10th block a finalized checkpoint, every 8th
 * observation group a tick, and every 500th block a one-block reorg. Used by the core benchmark.
 */
export function* syntheticObservations(count: number, nodes = 3): Generator<Observation> {
  const names = Array.from({ length: nodes }, (_, i) => `node${i}`);
  const hashOf = (n: number, branch: number) =>
    `${branch.toString(16).padStart(8, '0')}${n.toString(16).padStart(56, '0')}`;
  let emitted = 0;
  let number = 1;
  let parent = hashOf(0, 0);
  let t = 1_700_000_000_000;
  while (emitted < count) {
    const forked = number % 500 === 0;
    const hash = hashOf(number, forked ? 1 : 0);
    for (const node of names) {
      if (emitted >= count) return;
      emitted++;
      yield {
        type: 'head',
        chain: 'bench',
        node,
        client: 'geth',
        number: BigInt(number),
        hash,
        parentHash: parent,
        timestamp: Math.floor(t / 1000),
        observedAtMs: t + 5,
        latencyMs: 20,
      };
    }
    if (forked) {
      const replacement = hashOf(number, 0);
      for (const node of names) {
        if (emitted >= count) return;
        emitted++;
        yield {
          type: 'head',
          chain: 'bench',
          node,
          client: 'geth',
          number: BigInt(number),
          hash: replacement,
          parentHash: parent,
          timestamp: Math.floor(t / 1000),
          observedAtMs: t + 300,
          latencyMs: 20,
        };
      }
      parent = replacement;
    } else {
      parent = hash;
    }
    if (number % 10 === 0 && number > 64 && emitted < count) {
      emitted++;
      yield {
        type: 'checkpoint',
        chain: 'bench',
        node: names[0]!,
        kind: 'finalized',
        number: BigInt(number - 64),
        hash: hashOf(number - 64, 0),
        observedAtMs: t + 6,
      };
    }
    if (number % 8 === 0 && emitted < count) {
      emitted++;
      yield { type: 'tick', observedAtMs: t + 7 };
    }
    number++;
    t += 12_000;
  }
}
