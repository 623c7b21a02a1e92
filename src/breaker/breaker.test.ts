import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal } from '../core/signal.ts';
import { createBreakerState, overrideBreaker, reduceBreaker, resumeBreaker } from './breaker.ts';
import type { Level } from './levels.ts';
import { DEFAULT_RULES, toRequestedLevel } from './rules.ts';

const recovery = { healthyEvaluations: 3, graceMs: 10_000 };
const ask = (level: Level) => ({
  level,
  reason: `asked ${level}`,
  causes: level === 'normal' ? [] : ['liveness'],
});

describe('reduceBreaker', () => {
  it('behavior: escalates at once, straight to the level asked', () => {
    const b = createBreakerState('eth', ['eth']);
    const t = reduceBreaker(b, ask('halt'), 1000, recovery, false);
    assert.deepEqual([t?.from, t?.to, t?.seq, t?.idempotencyKey], ['normal', 'halt', 1, 'eth:1:normal>halt']);
  });

  // [asks per evaluation as [atMs, level, counts]], expected final level, expected transitions
  const cases: Array<[string, Array<[number, Level, boolean]>, Level, number]> = [
    [
      'recovery needs N healthy evaluations',
      [
        [0, 'halt', true],
        [20_000, 'normal', true],
        [21_000, 'normal', true],
      ],
      'halt',
      1,
    ],
    [
      'recovery needs the grace period',
      [
        [0, 'halt', true],
        [1_000, 'normal', true],
        [2_000, 'normal', true],
        [3_000, 'normal', true],
        [4_000, 'normal', true],
      ],
      'halt',
      1,
    ],
    [
      'recovery after both',
      [
        [0, 'halt', true],
        [1_000, 'normal', true],
        [2_000, 'normal', true],
        [11_000, 'normal', true],
      ],
      'normal',
      2,
    ],
    [
      'evaluations that do not count do not recover',
      [
        [0, 'halt', true],
        [1_000, 'normal', false],
        [20_000, 'normal', false],
        [30_000, 'normal', false],
      ],
      'halt',
      1,
    ],
    [
      'a relapse resets the count',
      [
        [0, 'halt', true],
        [1_000, 'normal', true],
        [2_000, 'normal', true],
        [3_000, 'halt', true],
        [11_500, 'normal', true],
        [12_000, 'normal', true],
      ],
      'halt',
      1,
    ],
    [
      'partial recovery steps down to the level still asked',
      [
        [0, 'halt', true],
        [1_000, 'caution', true],
        [2_000, 'caution', true],
        [12_000, 'caution', true],
      ],
      'caution',
      2,
    ],
    [
      'escalation during recovery is immediate',
      [
        [0, 'caution', true],
        [1_000, 'normal', true],
        [2_000, 'settlement_hold', false],
      ],
      'settlement_hold',
      2,
    ],
  ];
  for (const [name, asks, final, count] of cases) {
    it(`behavior: ${name}`, () => {
      const b = createBreakerState('eth', ['eth']);
      const transitions = asks
        .map(([at, level, counts]) => reduceBreaker(b, ask(level), at, recovery, counts))
        .filter(Boolean);
      assert.equal(b.level, final);
      assert.equal(transitions.length, count);
      assert.deepEqual(
        transitions.map((t) => t?.seq),
        transitions.map((_, i) => i + 1),
      );
    });
  }

  it('behavior: a manual override pins the level until resumed, audited with who and why', () => {
    const b = createBreakerState('eth', ['eth']);
    const t = overrideBreaker(b, 'halt', 'alice', 'exchange maintenance', 5);
    assert.deepEqual(
      [t?.to, t?.mode, t?.actor, t?.reason],
      ['halt', 'manual', 'alice', 'manual override by alice: exchange maintenance'],
    );
    assert.equal(reduceBreaker(b, ask('normal'), 100_000, recovery, true), undefined);
    assert.equal(reduceBreaker(b, ask('settlement_hold'), 100_001, recovery, true), undefined);
    resumeBreaker(b);
    assert.equal(reduceBreaker(b, ask('settlement_hold'), 100_002, recovery, true)?.to, 'settlement_hold');
  });
});

describe('toRequestedLevel with the default rules', () => {
  const base = { chain: 'eth', atMs: 0, message: '' };
  const reorg = (depth: number, severity: Signal['severity'], scope: 'node' | 'chain'): Signal => ({
    ...base,
    kind: 'reorg',
    severity,
    scope,
    depth,
    commonAncestor: { number: 1n, hash: 'a' },
    oldHead: { number: 2n, hash: 'b' },
    newHead: { number: 2n, hash: 'c' },
    replaced: [],
    finalizedReverted: severity === 'safety',
  });
  const condition = (
    kind: 'liveness' | 'finality' | 'divergence' | 'lag',
    severity: Signal['severity'],
  ): Signal => ({ ...base, kind, severity }) as Signal;
  const cases: Array<[string, Signal, Level]> = [
    ['shallow chain reorg', reorg(1, 'info', 'chain'), 'normal'],
    ['chain reorg warning', reorg(2, 'warning', 'chain'), 'caution'],
    ['chain reorg critical', reorg(7, 'critical', 'chain'), 'reduce_only'],
    ['node reorg critical', reorg(7, 'critical', 'node'), 'normal'],
    ['finalized block replaced', reorg(1, 'safety', 'node'), 'settlement_hold'],
    ['liveness warning', condition('liveness', 'warning'), 'caution'],
    ['liveness critical', condition('liveness', 'critical'), 'halt'],
    ['finality warning', condition('finality', 'warning'), 'caution'],
    ['finality critical', condition('finality', 'critical'), 'reduce_only'],
    ['divergence warning', condition('divergence', 'warning'), 'caution'],
    ['divergence critical', condition('divergence', 'critical'), 'reduce_only'],
    ['conflicting finalized', condition('divergence', 'safety'), 'settlement_hold'],
    ['node lag', condition('lag', 'warning'), 'normal'],
  ];
  for (const [name, signal, level] of cases) {
    it(`args: ${name} -> ${level}`, () => assert.equal(toRequestedLevel(DEFAULT_RULES, signal).level, level));
  }
});
