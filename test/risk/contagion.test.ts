import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createContagionGraph } from '../../src/risk/contagion/contagionGraph.ts';
import { defaultContagionGraph } from '../../src/risk/contagion/defaultContagionGraph.ts';
import { exposure } from '../../src/risk/contagion/exposure.ts';
import { toFailureLosses } from '../../src/risk/contagion/toFailureLosses.ts';
import { DEFAULT_SEVERITY } from '../../src/risk/hazard/defaultSeverity.ts';

describe('contagion graph', () => {
  const graph = defaultContagionGraph();
  // Native severities: 1 - the recovery of the chain's class mix in the committed calibration
  // (data/incidents/severity.json, checked against the price reactions by severity.test.ts).
  const native = (chain: string) => 1 - DEFAULT_SEVERITY.chains[chain]!.recovery;
  const eth = native('ethereum');
  const arb = 1 - DEFAULT_SEVERITY.severity.classes.bridge_or_sequencer.recovery;
  // Loss fractions by hand from the documented edges (docs/risk.md, "Default graph").
  const rows: Array<[string, string, number]> = [
    ['ethereum', 'ETH', eth],
    ['ethereum', 'stETH', 1 - (1 - eth) * (1 - 0.2)],
    ['ethereum', 'WBTC', 0.1],
    ['ethereum', 'USDC', 0.05],
    ['ethereum', 'arbitrum', 0.8],
    ['ethereum', 'ARB', arb * 0.8],
    ['ethereum', 'BTC', 0],
    ['ethereum', 'SOL', 0],
    ['bitcoin', 'WBTC', native('bitcoin')],
    ['wbtc-bridge', 'WBTC', 1],
    ['arbitrum-sequencer', 'ARB', 0.5 * arb],
    ['circle', 'USDC', 1],
    ['solana', 'SOL', native('solana')],
  ];
  for (const [failed, asset, expected] of rows) {
    it(`behavior: ${failed} fails: ${asset} loses ${expected}`, () => {
      assert.ok(Math.abs((toFailureLosses(graph, failed).get(asset) ?? -1) - expected) < 1e-15);
    });
  }

  it('args: a native severity given for the failed source replaces its native edges', () => {
    assert.ok(Math.abs(toFailureLosses(graph, 'ethereum', 0.5).get('stETH')! - (1 - 0.5 * 0.8)) < 1e-15);
    assert.ok(Math.abs(toFailureLosses(graph, 'ethereum', 0.5).get('ARB')! - arb * 0.8) < 1e-15);
  });

  it('behavior: exposure per source, largest loss first', () => {
    const result = exposure(graph, [
      { asset: 'stETH', valueUsd: 1000 },
      { asset: 'BTC', valueUsd: 500 },
      { asset: 'USDC', valueUsd: -200 },
    ]);
    const ethereum = result.find((e) => e.source === 'ethereum');
    assert.deepEqual(ethereum, {
      source: 'ethereum',
      kind: 'chain',
      exposedUsd: 1200,
      lossGivenFailureUsd: 1000 * (1 - (1 - eth) * 0.8) - 200 * 0.05,
    });
    assert.equal(result[0]?.source, 'ethereum');
    assert.equal(
      result.find((e) => e.source === 'solana'),
      undefined,
    );
  });

  it('error: a cycle and an unknown dependency', () => {
    assert.throws(
      () =>
        createContagionGraph([
          { id: 'a', kind: 'asset', dependsOn: [{ on: 'b', kind: 'underlying', severity: 1 }] },
          { id: 'b', kind: 'asset', dependsOn: [{ on: 'a', kind: 'underlying', severity: 1 }] },
        ]),
      { code: 'invalid_graph', message: /cycle: a -> b -> a/ },
    );
    assert.throws(
      () =>
        createContagionGraph([
          { id: 'a', kind: 'asset', dependsOn: [{ on: 'x', kind: 'bridge', severity: 1 }] },
        ]),
      { code: 'invalid_graph', field: 'nodes.0.dependsOn.0.on' },
    );
  });
});
