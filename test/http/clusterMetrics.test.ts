import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createEngineState } from '../../src/engine/step.ts';
import { createMetrics } from '../../src/http/createMetrics.ts';
import type { ClusterStatus } from '../../src/runtime/cluster/toClusterStatus.ts';
import type { ServiceView } from '../../src/runtime/serviceView.ts';
import { sample } from '../support/sample.ts';

const status: ClusterStatus = {
  clustered: true,
  lease: { holder: 'guard-b', epoch: 7, valid: true, ageMs: 1250, expiresInMs: 3750 },
  instances: [
    { instance: 'guard-a', role: 'follower', location: null, epoch: null, ageMs: 200 },
    { instance: 'guard-b', role: 'leader', location: null, epoch: 7, ageMs: 100 },
    { instance: 'guard-c', role: 'follower', location: null, epoch: null, ageMs: 300 },
    { instance: 'watch-eu', role: 'watcher', location: 'eu', epoch: null, ageMs: 400 },
  ],
  locations: [
    { location: 'eu', instances: ['watch-eu'], observations: 42, lastObservedAtMs: 1, lastStoredAgeMs: 500 },
    {
      location: 'us',
      instances: ['watch-us'],
      observations: 5,
      lastObservedAtMs: 1,
      lastStoredAgeMs: 61_000,
    },
  ],
};

function fakeView(overrides: Partial<ServiceView> = {}): ServiceView {
  const engine = createEngineState({ chains: { devnet: { preset: 'devnet' } } });
  return {
    engine: () => engine,
    ready: () => true,
    recentSignals: () => [],
    transitions: () => [],
    subscribe: () => () => undefined,
    override: () => undefined,
    resume: () => undefined,
    storeStats: () => ({
      pendingEvents: 0,
      maxPendingEvents: 10,
      droppedObservations: 0,
      storeWriteFailures: 0,
      failedDeliveries: 3,
    }),
    outboxCounts: async () => ({
      hook: { pending: 2, delivered: 9, failed: 1 },
      keeper: { pending: 0, delivered: 11, failed: 0 },
    }),
    clusterStatus: async () => status,
    ...overrides,
  };
}

describe('cluster metrics', () => {
  it('default: leader epoch, lease age, instances by role, observations per location, outbox per sink and status, delivery failures, store write latency', async () => {
    const metrics = createMetrics({ registry: new Registry(), view: fakeView(), processMetrics: false });
    metrics.observeStoreWrite(0.7);
    metrics.observeStoreWrite(3);
    metrics.observeStoreWrite(40);
    const text = await metrics.registry.metrics();
    const expected: Array<[string, number]> = [
      ['consensus_guard_cluster_leader_epoch{leader="guard-b"}', 7],
      ['consensus_guard_cluster_lease_age_seconds{leader="guard-b"}', 1.25],
      ['consensus_guard_cluster_lease_valid{leader="guard-b"}', 1],
      ['consensus_guard_cluster_instances{role="leader"}', 1],
      ['consensus_guard_cluster_instances{role="follower"}', 2],
      ['consensus_guard_cluster_instances{role="watcher"}', 1],
      ['consensus_guard_cluster_location_observations{location="eu"}', 42],
      ['consensus_guard_cluster_location_observations{location="us"}', 5],
      ['consensus_guard_cluster_location_last_observation_age_seconds{location="us"}', 61],
      ['consensus_guard_outbox_actions{sink="hook",status="pending"}', 2],
      ['consensus_guard_outbox_actions{sink="hook",status="failed"}', 1],
      ['consensus_guard_outbox_actions{sink="keeper",status="delivered"}', 11],
      ['consensus_guard_delivery_failures_total', 3],
      ['consensus_guard_store_write_duration_seconds_count', 3],
      ['consensus_guard_store_write_duration_seconds_bucket{le="0.001"}', 1],
      ['consensus_guard_store_write_duration_seconds_bucket{le="0.005"}', 2],
      ['consensus_guard_store_write_duration_seconds_bucket{le="0.05"}', 3],
    ];
    for (const [series, value] of expected) assert.equal(sample(text, series), value, series);
    assert.ok(Math.abs(sample(text, 'consensus_guard_store_write_duration_seconds_sum')! - 0.0437) < 1e-9);
    metrics.close();
  });

  it('behavior: a lone guard (no cluster) exposes no cluster series', async () => {
    const view = fakeView({
      clusterStatus: async () => ({ clustered: false, lease: null, instances: [], locations: [] }),
    });
    const metrics = createMetrics({ registry: new Registry(), view, processMetrics: false });
    const text = await metrics.registry.metrics();
    assert.doesNotMatch(text, /^consensus_guard_cluster_leader_epoch/m);
    assert.equal(sample(text, 'consensus_guard_cluster_instances{role="leader"}'), undefined);
    assert.equal(sample(text, 'consensus_guard_outbox_actions{sink="hook",status="pending"}'), 2);
    metrics.close();
  });

  it('error: a store that cannot be read drops the cluster series and counts the failure, the scrape answers', async () => {
    const view = fakeView({
      clusterStatus: async () => {
        throw new Error('connection refused');
      },
    });
    const metrics = createMetrics({ registry: new Registry(), view, processMetrics: false });
    const text = await metrics.registry.metrics();
    assert.doesNotMatch(text, /^consensus_guard_cluster_leader_epoch/m);
    assert.ok(sample(text, 'consensus_guard_metrics_store_read_failures_total')! >= 1);
    assert.equal(sample(text, 'consensus_guard_delivery_failures_total'), 3);
    metrics.close();
  });
});
