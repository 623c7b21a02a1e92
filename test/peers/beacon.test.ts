import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '../../src/core/observation.ts';
import type { Signal } from '../../src/core/signal.ts';
import type { EngineConfig } from '../../src/engine/config.ts';
import { createBeaconSource } from '../../src/sources/beacon/createBeaconSource.ts';
import { createTestGuard, type TestGuard } from '../support/createTestGuard.ts';
import { waitFor } from './litecoind.ts';
import { type RunningLodestar, startLodestar } from './lodestar.ts';

/** The Lodestar devnet: minimal preset, 2 s slots, 8 slots per epoch (16 s). */
const engine: EngineConfig = {
  chains: {
    beacon: {
      preset: 'ethereum',
      params: {
        blockTime: { kind: 'slots', slotMs: 2_000, slotsPerEpoch: 8 },
        finality: { warningEpochs: 3, criticalEpochs: 6, warningAgeMs: 48_000, criticalAgeMs: 96_000 },
      },
    },
  },
};

type Watched = { guard: TestGuard; observations: Observation[]; signals: Signal[] };

async function watch(node: RunningLodestar, pollIntervalMs: number): Promise<Watched> {
  const observations: Observation[] = [];
  const signals: Signal[] = [];
  const guard = createTestGuard({
    engine,
    sources: [createBeaconSource({ chain: 'beacon', node: 'lodestar', url: node.url, pollIntervalMs })],
    onObservation: (o) => observations.push(o),
    onSignal: (s) => signals.push(s),
  });
  await guard.start();
  return { guard, observations, signals };
}

describe('Beacon API source against Lodestar devnets', { timeout: 300_000 }, () => {
  let full: RunningLodestar;
  let partial: RunningLodestar;
  let fullWatch: Watched;
  let partialWatch: Watched;

  before(async () => {
    [full, partial] = await Promise.all([startLodestar('0..7'), startLodestar('0..4')]);
    // The full devnet is watched through the event stream alone after the first poll.
    [fullWatch, partialWatch] = await Promise.all([watch(full, 600_000), watch(partial, 2_000)]);
  });

  after(async () => {
    await Promise.allSettled([fullWatch?.guard.stop(), partialWatch?.guard.stop()]);
    await Promise.allSettled([full?.stop(), partial?.stop()]);
  });

  it('behavior: heads and finalized checkpoints are tracked over the event stream', async () => {
    const finalized = await waitFor(
      'a finalized checkpoint past epoch 0',
      () =>
        fullWatch.observations.find(
          (o) => o.type === 'checkpoint' && o.kind === 'finalized' && (o.epoch ?? 0) >= 1,
        ),
      200_000,
    );
    assert.ok(finalized.type === 'checkpoint');
    assert.ok(finalized.number !== undefined && finalized.number > 0n);
    const heads = fullWatch.observations.filter((o) => o.type === 'head');
    assert.ok(heads.length >= 8, `heads ${heads.length}`);
    const first = heads[0];
    assert.ok(first?.type === 'head');
    assert.match(first.client ?? '', /^Lodestar\//);
    const chain = fullWatch.guard.state.chains.get('beacon');
    assert.equal(chain?.finalized?.epoch, finalized.epoch);
    assert.equal(
      fullWatch.signals.filter((s) => s.kind === 'reorg' || s.kind === 'liveness' || s.kind === 'integrity')
        .length,
      0,
    );
  });

  it('behavior: with 5 of 8 validators the finality stall is raised while blocks continue', async () => {
    const stall = await waitFor(
      'a finality signal',
      () => partialWatch.signals.find((s) => s.kind === 'finality'),
      200_000,
    );
    assert.ok(stall.kind === 'finality');
    assert.ok((stall.epochsWithoutFinality ?? 0) >= 3);
    assert.equal(partialWatch.guard.state.chains.get('beacon')?.finalized?.epoch, 0);
    // 3 of 8 proposers are offline, so runs of missed slots may warn, but the chain is not halted.
    assert.equal(
      partialWatch.signals.filter((s) => s.kind === 'liveness' && s.severity === 'critical').length,
      0,
    );
  });
});
