import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createScript } from '../../test/support/script.ts';
import type { Observation } from '../core/observation.ts';
import type { EngineConfig } from './config.ts';
import { runObservations } from './run.ts';

const devnet: EngineConfig = { chains: { test: { preset: 'devnet' } } };

/** The same observation seen from a watcher at `location`. */
const at = (location: string, observation: Observation): Observation =>
  observation.type === 'tick' ? observation : { ...observation, location };

/** Heads of n1 and n2 along `branch` from `from` to `to`, one a second, seen from `location`. */
function heads(
  s: ReturnType<typeof createScript>,
  location: string,
  branch: string,
  from: number,
  to: number,
): Observation[] {
  const out: Observation[] = [];
  for (let h = from; h <= to; h++)
    for (const node of ['n1', 'n2']) out.push(at(location, s.head(node, `${branch}${h}`, h)));
  return out;
}

const byTime = (...lists: Observation[][]) => lists.flat().sort((a, b) => a.observedAtMs - b.observedAtMs);

describe('watcher locations', () => {
  it('default: two locations that see the same chain raise nothing', () => {
    const s = createScript();
    const result = runObservations(devnet, byTime(heads(s, 'eu', 'a', 1, 30), heads(s, 'us', 'a', 1, 30)));
    assert.deepEqual(result.signals, []);
    assert.deepEqual(result.summary.chains.test?.nodes.map((n) => n.name).sort(), [
      'n1@eu',
      'n1@us',
      'n2@eu',
      'n2@us',
    ]);
  });

  it('behavior: one location losing its nodes (only from its side) is a monitor_partition, breakers stay normal', () => {
    const s = createScript();
    const eu = heads(s, 'eu', 'a', 1, 10);
    for (let t = 11; t <= 30; t++) for (const node of ['n1', 'n2']) eu.push(at('eu', s.error(node, t)));
    const result = runObservations(devnet, byTime(eu, heads(s, 'us', 'a', 1, 30)));
    const partitions = result.signals.filter((x) => x.kind === 'monitor_partition');
    assert.ok(partitions.length > 0);
    assert.ok(partitions.every((x) => x.kind === 'monitor_partition' && x.location === 'eu'));
    assert.deepEqual(
      result.signals.filter((x) => x.kind === 'liveness'),
      [],
    );
    assert.deepEqual(result.transitions, []);
  });

  it('behavior: a location that joins with a checkpoint before its first head is not partitioned', () => {
    const s = createScript();
    const us = heads(s, 'us', 'a', 3, 30);
    us.unshift(at('us', s.finalized('n1', 'a1', 2.5)));
    const result = runObservations(devnet, byTime(heads(s, 'eu', 'a', 1, 30), us));
    assert.deepEqual(result.signals, []);
  });

  it('behavior: every location seeing a halt halts', () => {
    const s = createScript();
    const ticks: Observation[] = [];
    for (let t = 11; t <= 30; t++) ticks.push(s.tick(t));
    const result = runObservations(
      devnet,
      byTime(heads(s, 'eu', 'a', 1, 10), heads(s, 'us', 'a', 1, 10), ticks),
    );
    assert.ok(result.signals.some((x) => x.kind === 'liveness' && x.severity === 'critical'));
    assert.deepEqual(
      result.signals.filter((x) => x.kind === 'monitor_partition'),
      [],
    );
    assert.equal(result.summary.maxLevels.test, 'halt');
  });

  it('behavior: a branch seen from one location only (its network misled) moves no breaker', () => {
    const s = createScript();
    s.fork('b', 'a3');
    const eu = [...heads(s, 'eu', 'a', 1, 3), ...heads(s, 'eu', 'b', 4, 20)];
    const result = runObservations(devnet, byTime(eu, heads(s, 'us', 'a', 1, 20)));
    const divergence = result.signals.filter((x) => x.kind === 'divergence');
    assert.ok(divergence.length > 0, 'the eu views diverge');
    assert.ok(divergence.every((x) => x.monitorPartition === true));
    assert.equal(result.summary.maxLevels.test, 'normal');
  });

  it('behavior: a branch every location sees is a backed divergence', () => {
    const s = createScript();
    s.fork('b', 'a3');
    const split = (location: string): Observation[] => {
      const out: Observation[] = [];
      for (let h = 1; h <= 20; h++) {
        out.push(at(location, s.head('n1', `a${h}`, h)), at(location, s.head('n2', `a${h}`, h)));
        out.push(at(location, s.head('n3', h <= 3 ? `a${h}` : `b${h}`, h)));
      }
      return out;
    };
    // n3 (another client, say) follows b from every location: two views of it in two places.
    const result = runObservations(devnet, byTime(split('eu'), split('us')));
    const divergence = result.signals.filter((x) => x.kind === 'divergence');
    assert.ok(divergence.length > 0);
    assert.ok(divergence.every((x) => x.monitorPartition === undefined));
  });
});
