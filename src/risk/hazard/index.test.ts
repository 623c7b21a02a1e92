import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as hazard from './index.ts';

describe('hazard index', () => {
  it('default: the public runtime exports, sorted', () => {
    assert.deepEqual(Object.keys(hazard).sort(), [
      'ATTACKS_BY_MODEL',
      'ATTACK_SHARES',
      'CLASS_OF_KIND',
      'DEFAULT_CLASS_RECOVERY',
      'DEFAULT_HALF_LIFE_DAYS',
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
      'DEFAULT_SEVERITY',
      'DEFAULT_SEVERITY_HALF_LIFE_YEARS',
      'DEFAULT_SEVERITY_PRIOR_WEIGHT',
      'DEFAULT_SIGNAL_FACTORS',
      'DEFAULT_SPIRAL_FLOOR_REL',
      'EVENT_CLASSES',
      'HazardError',
      'INCIDENT_KINDS',
      'JEFFREYS_PRIOR',
      'MS_PER_YEAR',
      'calibrateSeverity',
      'estimateIncidentRates',
      'hazardPerYear',
      'iterateReflexiveLoop',
      'toChainClassMix',
      'toClassMix',
      'toClassRecovery',
      'toDefaultBaseRates',
      'toDefaultClassMix',
      'toEconomicHazard',
      'toEventCount',
      'toHalfLifeYears',
      'toIncidentRecords',
      'toIncidentStartMs',
      'toLiveMultiplier',
      'toReorgDepthBlocks',
      'toSecurityTokens',
      'toSeverityTable',
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
    assert.ok(Object.isFrozen(hazard.DEFAULT_SEVERITY.severity.classes.liveness));
    assert.ok(Object.isFrozen(hazard.DEFAULT_SEVERITY.chains.ethereum?.classes[0]));
    assert.ok(Object.isFrozen(hazard.DEFAULT_HALF_LIFE_DAYS));
  });
});
