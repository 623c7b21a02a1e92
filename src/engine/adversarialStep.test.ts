import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LEVELS } from '../breaker/levels.ts';
import type { ChainState } from '../core/chainView.ts';
import type { Observation } from '../core/observation.ts';
import type { EngineConfig } from './config.ts';
import { createEngineState, step } from './step.ts';

/**
 * Property: `step` terminates on every input, within a bounded number of tree walks, and keeps
 * its state consistent, whatever heights, parents or checkpoints the nodes send: foreign chains,
 * huge or backwards numbers, cycles, self-parents, hashes reused with other contents,
 * checkpoints above heads, time going backwards.
 */

const NODES = ['n1', 'n2', 'n3', 'n4'];
const GENESIS_MS = 1_700_000_000_000;

const height = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt(0n, 80n) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(10n ** 12n, 2n ** 63n, 2n ** 64n - 1n, 18446744073709551391n, 2n ** 256n),
  },
  { weight: 1, arbitrary: fc.bigInt(0n, 2n ** 64n) },
);

type Command =
  | {
      kind: 'extend';
      node: number;
      gap: bigint;
      parent: 'tip' | 'self' | 'pool';
      reuse: boolean;
      pick: number;
    }
  | { kind: 'adopt'; node: number; from: number }
  | { kind: 'jump'; node: number; number: bigint; pick: number }
  | {
      kind: 'checkpoint';
      node: number;
      which: 'finalized' | 'safe' | 'justified';
      number: bigint;
      pick: number;
    }
  | { kind: 'error'; node: number }
  | { kind: 'tick'; dtMs: number }
  | { kind: 'time'; dtMs: number };

const node = fc.integer({ min: 0, max: NODES.length - 1 });
const pick = fc.nat(1000);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('extend' as const),
      node,
      gap: fc.oneof(
        { weight: 8, arbitrary: fc.constant(0n) },
        { weight: 1, arbitrary: fc.bigInt(-5n, 5n) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(10n ** 12n, 2n ** 64n),
        },
      ),
      parent: fc.constantFrom(
        'tip' as const,
        'tip' as const,
        'tip' as const,
        'self' as const,
        'pool' as const,
      ),
      reuse: fc.boolean(),
      pick,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('adopt' as const), node, from: node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('jump' as const), node, number: height, pick }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('checkpoint' as const),
      node,
      which: fc.constantFrom('finalized' as const, 'safe' as const, 'justified' as const),
      number: height,
      pick,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('error' as const), node }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), dtMs: fc.integer({ min: 0, max: 20_000 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('time' as const),
      dtMs: fc.integer({ min: -2_000, max: 5_000 }),
    }),
  },
);

type Tip = { number: bigint; hash: string };

/** Turns commands into observations: each node keeps a tip; hashes come from a counter or a small pool. */
function toObservations(commands: Command[]): Observation[] {
  const tips: Array<Tip | undefined> = NODES.map(() => undefined);
  const pool: string[] = [];
  let counter = 0;
  let nowMs = GENESIS_MS;
  const fresh = () => (++counter).toString(16).padStart(64, '0');
  const fromPool = (i: number) => (pool.length === 0 ? fresh() : pool[i % pool.length]!);
  const out: Observation[] = [];
  const emit = (n: number, number: bigint, hash: string, parentHash: string) => {
    tips[n] = { number, hash };
    if (pool.length < 24) pool.push(hash);
    out.push({
      type: 'head',
      chain: 'c',
      node: NODES[n]!,
      number,
      hash,
      parentHash,
      timestamp: Math.floor(nowMs / 1000),
      observedAtMs: nowMs,
    });
  };
  for (const c of commands) {
    switch (c.kind) {
      case 'extend': {
        const tip = tips[c.node] ?? { number: 0n, hash: '0'.repeat(64) };
        let number = tip.number + 1n + c.gap;
        if (number < 0n) number = 0n;
        const hash = c.reuse ? fromPool(c.pick) : fresh();
        const parentHash = c.parent === 'tip' ? tip.hash : c.parent === 'self' ? hash : fromPool(c.pick + 1);
        emit(c.node, number, hash, parentHash);
        nowMs += 1_000;
        break;
      }
      case 'adopt': {
        const tip = tips[c.from];
        if (tip) emit(c.node, tip.number, tip.hash, `${'a'.repeat(63)}${c.from}`);
        break;
      }
      case 'jump':
        emit(c.node, c.number, fresh(), fromPool(c.pick));
        break;
      case 'checkpoint':
        out.push({
          type: 'checkpoint',
          chain: 'c',
          node: NODES[c.node]!,
          kind: c.which,
          number: c.number,
          epoch: Number(c.number % 1000n),
          hash: fromPool(c.pick),
          observedAtMs: nowMs,
        });
        break;
      case 'error':
        out.push({
          type: 'error',
          chain: 'c',
          node: NODES[c.node]!,
          code: 'rpc',
          message: 'boom',
          observedAtMs: nowMs,
        });
        break;
      case 'tick':
        nowMs += c.dtMs;
        out.push({ type: 'tick', observedAtMs: nowMs });
        break;
      case 'time':
        nowMs += c.dtMs;
        break;
    }
  }
  return out;
}

/** Parent links one step may follow: every walk visits each kept block at most once, and a step
 * runs a number of walks bounded by the square of the node count (canonical choice, quorum,
 * divergence backers, foreign chains). */
function walkBound(chain: ChainState): number {
  const nodes = chain.nodes.size + 2;
  return 16 * nodes * nodes * (chain.blocks.size + 2);
}

function assertConsistent(chain: ChainState): void {
  let indexed = 0;
  for (const [number, hashes] of chain.byHeight) {
    for (const hash of hashes) {
      const block = chain.blocks.get(hash);
      assert.ok(block, `indexed hash ${hash} is stored`);
      assert.equal(block.number, number);
      indexed += 1;
    }
  }
  assert.equal(indexed, chain.blocks.size, 'every stored block is indexed by height');
  if (chain.canonical) {
    assert.equal(chain.canonicalByHeight.get(chain.canonical.number), chain.canonical.hash);
    for (const number of chain.canonicalByHeight.keys())
      assert.ok(number <= chain.canonical.number, 'no canonical entry above the canonical head');
  }
  if (chain.finalized) {
    const reporters = [...chain.nodes.values()].filter(
      (n) => n.checkpoints.finalized?.hash === chain.finalized?.hash,
    );
    assert.ok(
      reporters.length > 0 || chain.finalized !== undefined,
      'a finalized checkpoint some node reported',
    );
  }
  // Memory: the tree keeps what the prune depth allows plus what is in flight, never the heights in between.
  assert.ok(chain.blocks.size <= 4 * (chain.params.pruneDepth + 64), `${chain.blocks.size} blocks kept`);
}

const config: EngineConfig = { chains: { c: { preset: 'devnet', nodes: NODES } } };

describe('step against adversarial observation sequences', () => {
  it('behavior: every step returns within its walk bound and leaves the state consistent', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 80, size: 'max' }), (commands) => {
        const state = createEngineState(config);
        for (const observation of toObservations(commands)) {
          const before = state.chains.get('c')?.counts.walked ?? 0;
          const out = step(state, observation);
          const chain = state.chains.get('c');
          if (!chain) continue;
          const walked = chain.counts.walked - before;
          assert.ok(
            walked <= walkBound(chain),
            `${walked} parent links in one step, bound ${walkBound(chain)}`,
          );
          assertConsistent(chain);
          for (const t of out.transitions) assert.ok(LEVELS.includes(t.to));
        }
      }),
      { numRuns: 10_000, seed: 20261207 },
    );
  });

  it('behavior: one node alone never moves the breaker above caution among three honest nodes in step', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }), (commands) => {
        // Three honest nodes mine one chain in step; every command speaks for n4 only.
        const liar = commands.map((c) => ('node' in c ? { ...c, node: 3 } : c)) as Command[];
        const lies = toObservations(liar).filter((o) => o.type !== 'tick');
        // The honest nodes keep mining for as long as the liar speaks, and a little longer.
        const lastS = Math.ceil(Math.max(0, ...lies.map((o) => o.observedAtMs - GENESIS_MS)) / 1000) + 10;
        const honest: Observation[] = [];
        let parent = '0'.repeat(64);
        for (let h = 1; h <= lastS; h++) {
          const hash = `b${h.toString(16)}`.padStart(64, '0');
          for (const name of ['n1', 'n2', 'n3'])
            honest.push({
              type: 'head',
              chain: 'c',
              node: name,
              number: BigInt(h),
              hash,
              parentHash: parent,
              timestamp: Math.floor(GENESIS_MS / 1000) + h,
              observedAtMs: GENESIS_MS + h * 1000,
            });
          parent = hash;
        }
        const all = [...honest, ...lies].sort((a, b) => a.observedAtMs - b.observedAtMs);
        const state = createEngineState(config);
        for (const observation of all) {
          for (const t of step(state, observation).transitions)
            assert.ok(t.to === 'normal' || t.to === 'caution', `${t.to}: ${t.reason}`);
        }
      }),
      { numRuns: 2_000, seed: 7 },
    );
  });
});
