import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toChainParams } from '../core/params.ts';
import { formatDuration, toLivenessThresholds } from './liveness.ts';

describe('toLivenessThresholds', () => {
  // Expected values worked by hand from the documented formulas:
  // slots: warning (maxMissed + 1.5) * slot, critical criticalMissed * slot;
  // exponential: mean * ln(1/p): 600 s * ln(1e6) = 8289.306 s, 600 s * ln(1e9) = 12433.960 s (python math.log).
  const cases: Array<[string, Parameters<typeof toChainParams>[1], number, number]> = [
    ['ethereum', {}, 54_000, 384_000],
    ['devnet', {}, 4_500, 8_000],
    ['bitcoin', {}, 8_289_306.33, 12_433_959.5],
    ['ethereum', { liveness: { maxMissedSlots: 1 } }, 30_000, 384_000],
    ['bitcoin', { liveness: { warningFalseAlarm: 0.01 } }, 2_763_102.11, 12_433_959.5],
    ['devnet', { blockTime: { kind: 'slots', slotMs: 2_000, slotsPerEpoch: 32 } }, 9_000, 16_000],
  ];
  for (const [preset, overrides, warningMs, criticalMs] of cases) {
    it(`args: ${preset} ${JSON.stringify(overrides)}`, () => {
      const t = toLivenessThresholds(toChainParams(preset, overrides));
      assert.ok(Math.abs(t.warningMs - warningMs) < 0.01, `warning ${t.warningMs}`);
      assert.ok(Math.abs(t.criticalMs - criticalMs) < 0.01, `critical ${t.criticalMs}`);
    });
  }
});

describe('formatDuration', () => {
  const cases: Array<[number, string]> = [
    [95_000, '95 s'],
    [720_000, '12 min'],
    [12_240_000, '3.4 h'],
  ];
  for (const [ms, text] of cases) it(`args: ${ms}`, () => assert.equal(formatDuration(ms), text));
});
