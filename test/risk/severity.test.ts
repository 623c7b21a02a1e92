import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { calibrateSeverity, DEFAULT_CLASS_RECOVERY } from '../../src/risk/hazard/calibrateSeverity.ts';
import { DEFAULT_SEVERITY } from '../../src/risk/hazard/defaultSeverity.ts';
import { hazardPerYear } from '../../src/risk/hazard/hazardPerYear.ts';
import { toSeverityTable } from '../../src/risk/hazard/toSeverityTable.ts';
import { parseCsvRecords } from '../realData/parseCsv.ts';

const csv = parseCsvRecords(
  readFileSync(new URL('../../data/incidents/price_reactions.csv', import.meta.url), 'utf8'),
);

describe('severity calibration', () => {
  it('default: the committed data/incidents/severity.json is the calibration of price_reactions.csv', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(toSeverityTable(csv))), DEFAULT_SEVERITY);
  });

  it('behavior: the CSV is the shared incident data (36 rows, 33 with a 24 h move)', () => {
    assert.equal(csv.length, 36);
    assert.equal(csv.filter((row) => row.move_24h_pct !== '').length, 33);
    assert.deepEqual(DEFAULT_SEVERITY.severity.skipped.map((s) => s.incidentId).sort(), [
      'optimism-2024-02-15-unsafe-head-stall',
      'sui-2024-11-21-halt',
      'terra-2022-05-12-halt',
    ]);
  });

  it('behavior: the bridge/sequencer class by hand from its three rows', () => {
    // BNB 2022-10-06 (-3.21 vs BTC -2.31), ARB 2023-06-07 (-5.17 vs -1.99), ARB 2023-12-15 (-0.98 vs -0.44).
    const asOf = Date.UTC(2026, 0, 1);
    const rows: Array<[number, number, number]> = [
      [-3.21, -2.31, Date.UTC(2022, 9, 6, 20, 49)],
      [-5.17, -1.99, Date.UTC(2023, 5, 7, 6, 5)],
      [-0.98, -0.44, Date.UTC(2023, 11, 15, 13, 29)],
    ];
    const { prior, classes } = DEFAULT_SEVERITY.severity;
    let w = 0;
    let wx = 0;
    const xs = rows.map(([m, b, at]) => {
      const weight = 0.5 ** ((asOf - at) / (365 * 86_400_000) / 4);
      const x = Math.log(1 + m / 100) - Math.log(1 + b / 100);
      w += weight;
      wx += weight * x;
      return { x, weight };
    });
    const mean = (2 * prior.meanLogMove + wx) / (2 + w);
    const ss = 2 * prior.sdLogMove ** 2 + xs.reduce((s, r) => s + r.weight * (r.x - mean) ** 2, 0);
    const sd = Math.sqrt(ss / (2 + w));
    const c = classes.bridge_or_sequencer;
    assert.ok(Math.abs(c.meanLogMove - mean) < 1e-15);
    assert.ok(Math.abs(c.recovery - Math.exp(mean + (sd * sd) / 2)) < 1e-15);
    assert.equal(c.events, 3);
  });

  it('behavior: a class without price data says so and takes the documented default', () => {
    const safety = DEFAULT_SEVERITY.severity.classes.safety;
    assert.equal(safety.source, 'default');
    assert.equal(safety.recovery, DEFAULT_CLASS_RECOVERY);
    const none = calibrateSeverity({ rows: [], asOfMs: 0 });
    assert.ok(Object.values(none.classes).every((c) => c.source === 'default' && c.recovery === 0.5));
  });

  it('behavior: an older incident weighs less (half-life)', () => {
    const row = (start: string) => ({
      incident_id: start,
      kind: 'liveness',
      start_utc: start,
      move_24h_pct: '-10',
      btc_move_24h_pct: '0',
    });
    const recent = calibrateSeverity({ rows: [row('2025-01-01T00:00Z')], asOfMs: Date.UTC(2026, 0, 1) });
    const old = calibrateSeverity({ rows: [row('2013-01-01T00:00Z')], asOfMs: Date.UTC(2026, 0, 1) });
    assert.ok(recent.classes.liveness.weightedEvents > 0.8 && old.classes.liveness.weightedEvents < 0.11);
  });

  it('behavior: the expected loss rate of the ethereum mix is Σ intensity × (1 - recovery)', () => {
    const mix = DEFAULT_SEVERITY.chains.ethereum!;
    const byHand = mix.classes.reduce((s, c) => s + c.intensityPerYear * (1 - c.recovery), 0);
    assert.ok(Math.abs(mix.expectedLossPerYear - byHand) < 1e-15);
    const hazard = hazardPerYear({ chain: 'ethereum' });
    assert.ok(Math.abs(hazard.recoveryFraction - mix.recovery) < 1e-15);
    assert.ok(Math.abs(hazard.expectedLossPerYear - byHand) < 1e-15);
  });
});
