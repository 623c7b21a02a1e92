import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Level } from '../../breaker/levels.ts';
import type { Severity, Signal } from '../../core/signal.ts';
import { HazardError } from './hazardError.ts';
import { toLiveMultiplier } from './toLiveMultiplier.ts';

const base = { atMs: 0, message: 'test' };

function liveness(severity: Severity, chain = 'ethereum'): Signal {
  return { ...base, kind: 'liveness', chain, severity, stalledForMs: 60_000, thresholdMs: 36_000 };
}
function lag(severity: Severity, chain = 'ethereum'): Signal {
  return {
    ...base,
    kind: 'lag',
    chain,
    node: 'n1',
    severity,
    lagBlocks: 4,
    laggingForMs: 40_000,
    unreachable: false,
  };
}
function finality(severity: Severity, chain = 'ethereum'): Signal {
  return { ...base, kind: 'finality', chain, severity, finalityAgeMs: 2_000_000 };
}
function divergence(severity: Severity, chain = 'ethereum'): Signal {
  return {
    ...base,
    kind: 'divergence',
    chain,
    severity,
    forkHeight: 10,
    nodeBranchLength: 3,
    canonicalBranchLength: 3,
    divergedForMs: 40_000,
    conflictingFinalized: severity === 'safety',
  };
}

describe('toLiveMultiplier', () => {
  // [name, signals, level, expected multiplier, expected signal factor, expected level factor]
  const cases: Array<[string, Signal[], Level | undefined, number, number, number]> = [
    ['nothing', [], undefined, 1, 1, 1],
    ['info signals only', [liveness('info'), lag('info')], 'normal', 1, 1, 1],
    ['liveness warning', [liveness('warning')], 'normal', 4, 4, 1],
    ['liveness critical', [liveness('critical')], 'normal', 16, 16, 1],
    ['finality warning', [finality('warning')], 'normal', 2, 2, 1],
    ['finality critical', [finality('critical')], 'normal', 8, 8, 1],
    ['divergence safety', [divergence('safety')], 'normal', 32, 32, 1],
    ['lag critical', [lag('critical')], 'normal', 1.5, 1.5, 1],
    [
      'max over signals, not product',
      [finality('critical'), liveness('warning'), lag('critical')],
      'normal',
      8,
      8,
      1,
    ],
    ['caution alone', [], 'caution', 2, 1, 2],
    ['reduce_only alone', [], 'reduce_only', 4, 1, 4],
    ['halt alone', [], 'halt', 8, 1, 8],
    ['settlement_hold alone', [], 'settlement_hold', 16, 1, 16],
    ['signal above level', [liveness('critical')], 'halt', 16, 16, 8],
    ['level above signal', [liveness('warning')], 'settlement_hold', 16, 4, 16],
    ['other chain ignored', [liveness('critical', 'solana')], 'normal', 1, 1, 1],
  ];
  for (const [name, signals, level, multiplier, signalFactor, levelFactor] of cases) {
    it(`default: ${name}`, () => {
      const result = toLiveMultiplier(
        level ? { chain: 'ethereum', signals, level } : { chain: 'ethereum', signals },
      );
      assert.equal(result.multiplier, multiplier);
      assert.equal(result.signalFactor, signalFactor);
      assert.equal(result.levelFactor, levelFactor);
    });
  }

  it('default: reports the driving signal and the signals used', () => {
    const result = toLiveMultiplier({
      chain: 'ethereum',
      signals: [lag('warning'), divergence('critical'), liveness('critical', 'solana')],
    });
    assert.deepEqual(result.driver, { kind: 'divergence', severity: 'critical' });
    assert.equal(result.signalsUsed, 2);
    assert.equal(toLiveMultiplier({ chain: 'ethereum' }).driver, undefined);
  });

  it('args: combine product', () => {
    const result = toLiveMultiplier({
      chain: 'ethereum',
      signals: [liveness('warning')],
      level: 'caution',
      combine: 'product',
    });
    assert.equal(result.multiplier, 4 * 2);
  });

  it('args: overrides replace single entries and keep the rest', () => {
    const result = toLiveMultiplier({
      chain: 'ethereum',
      signals: [liveness('warning'), finality('critical')],
      signalFactors: { liveness: { warning: 10 } },
      levelFactors: { caution: 3 },
      level: 'caution',
    });
    assert.equal(result.signalFactor, 10);
    assert.equal(result.levelFactor, 3);
    assert.equal(result.multiplier, 10);
  });

  const bad: Array<[string, () => unknown]> = [
    ['NaN factor', () => toLiveMultiplier({ chain: 'e', signalFactors: { reorg: { info: Number.NaN } } })],
    ['negative level factor', () => toLiveMultiplier({ chain: 'e', levelFactors: { halt: -1 } })],
    ['zero factor', () => toLiveMultiplier({ chain: 'e', signalFactors: { lag: { warning: 0 } } })],
    ['unknown level', () => toLiveMultiplier({ chain: 'e', level: 'panic' as Level })],
  ];
  for (const [name, run] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(run, (error: unknown) => error instanceof HazardError && error.code === 'invalid_input');
    });
  }
});
