import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as pricing from './index.ts';

describe('pricing public API', () => {
  it('default: the sorted list of runtime exports', () => {
    assert.deepEqual(Object.keys(pricing).sort(), [
      'PricingError',
      'bsmGreeks',
      'bsmGreeksBatch',
      'bsmPrice',
      'bsmPriceBatch',
      'crrPrice',
      'cumulativeHazard',
      'daysToYears',
      'erf',
      'erfc',
      'erfcx',
      'impliedVol',
      'jumpToDefaultGreeks',
      'jumpToDefaultPrice',
      'jumpToDefaultTree',
      'mertonGreeks',
      'mertonPrice',
      'normalCdf',
      'normalPdf',
      'toThetaPerDay',
    ]);
  });
  it('behavior: conventions', () => {
    assert.equal(pricing.daysToYears(73), 0.2);
    assert.equal(pricing.toThetaPerDay(-36.5), -0.1);
  });
});
