import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as hazard from './index.ts';

describe('hazard index', () => {
  it('default: the public runtime exports, sorted', () => {
    assert.deepEqual(Object.keys(hazard).sort(), [
      'ATTACKS_BY_MODEL',
      'ATTACK_SHARES',
      'DEFAULT_HAZARD_PER_YEAR_PER_EFOLD',
      'DEFAULT_INCIDENTS',
      'DEFAULT_INCIDENTS_END_MS',
      'DEFAULT_LEVEL_FACTORS',
      'DEFAULT_LOOP_MAX_ITERATIONS',
      'DEFAULT_LOOP_TOLERANCE_REL',
      'DEFAULT_MIN_REORG_DEPTH',
      'DEFAULT_NETWORKS',
      'DEFAULT_OBSERVATION_WINDOWS',
      'DEFAULT_RATIO_THRESHOLD',
      'DEFAULT_SIGNAL_FACTORS',
      'DEFAULT_SPIRAL_FLOOR_REL',
      'HazardError',
      'INCIDENT_KINDS',
      'JEFFREYS_PRIOR',
      'MS_PER_YEAR',
      'estimateIncidentRates',
      'hazardPerYear',
      'iterateReflexiveLoop',
      'toDefaultBaseRates',
      'toEconomicHazard',
      'toEventCount',
      'toIncidentRecords',
      'toIncidentStartMs',
      'toLiveMultiplier',
      'toReorgDepthBlocks',
      'toSecurityTokens',
    ]);
  });

  it('behavior: the default tables are frozen', () => {
    assert.ok(Object.isFrozen(hazard.DEFAULT_INCIDENTS));
    assert.ok(Object.isFrozen(hazard.DEFAULT_INCIDENTS[0]));
    assert.ok(Object.isFrozen(hazard.DEFAULT_SIGNAL_FACTORS.liveness));
    assert.ok(Object.isFrozen(hazard.DEFAULT_LEVEL_FACTORS));
    assert.ok(Object.isFrozen(hazard.JEFFREYS_PRIOR));
    assert.ok(Object.isFrozen(hazard.DEFAULT_OBSERVATION_WINDOWS.ethereum));
    assert.ok(Object.isFrozen(hazard.toDefaultBaseRates().solana?.byKind.liveness));
  });
});
